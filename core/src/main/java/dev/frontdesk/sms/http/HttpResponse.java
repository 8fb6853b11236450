package dev.frontdesk.sms.http;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.http.internal.Answers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What to answer: a status, headers and a body, written as they are by the container adapter.
 *
 * @param status  the HTTP status
 * @param headers response headers, {@code Content-Type} included
 * @param body    the body bytes, possibly empty
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {
    public HttpResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /**
     * The contract's JSON error {@code {"error": {"code", "message"}}} with the code's status, for an adapter that
     * must answer on its own (a body that never arrived, say) the way the handler would.
     *
     * @param extraHeaders headers besides the JSON ones, e.g. {@code Retry-After}
     */
    public static HttpResponse error(ErrorCode code, String message, Map<String, String> extraHeaders) {
        Objects.requireNonNull(code, "code");
        return Answers.error(code, message, Objects.requireNonNull(extraHeaders, "extraHeaders"));
    }

    /** The {@code Content-Type} header, or null. */
    public String contentType() {
        return headers.get("Content-Type");
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
