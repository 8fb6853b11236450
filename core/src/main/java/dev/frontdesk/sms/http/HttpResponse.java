package dev.frontdesk.sms.http;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.http.internal.Answers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What to answer: a status, headers and a body, written as they are by the container adapter; or, for
 * {@code GET /api/events/stream}, a status, headers and an {@link EventStream} that the adapter keeps open and
 * writes over time (see {@link #stream()}).
 *
 * @param status  the HTTP status
 * @param headers response headers, {@code Content-Type} included
 * @param body    the body bytes, possibly empty; empty for a streamed response
 * @param stream  null for an ordinary response; else the streamed body: the adapter sends status and headers
 *                (no {@code Content-Length}), then runs the stream as {@link EventStream} says
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body, EventStream stream) {
    public HttpResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
        if (stream != null && body.length > 0) {
            throw new IllegalArgumentException("a streamed response has no body of its own");
        }
    }

    /** An ordinary response, written whole. */
    public HttpResponse(int status, Map<String, String> headers, byte[] body) {
        this(status, headers, body, null);
    }

    /** A 200 whose body is {@code stream}, written over time. */
    public static HttpResponse streamed(Map<String, String> headers, EventStream stream) {
        return new HttpResponse(200, headers, null, Objects.requireNonNull(stream, "stream"));
    }

    /** Whether the body is an {@link EventStream} rather than bytes. */
    public boolean isStreamed() {
        return stream != null;
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
