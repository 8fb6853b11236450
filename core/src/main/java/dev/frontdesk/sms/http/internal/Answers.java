package dev.frontdesk.sms.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.http.HttpResponse;
import dev.frontdesk.sms.twilio.Twiml;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shapes of the handler's answers: JSON with its safety headers, the contract's JSON errors, TwiML. */
public final class Answers {
    private Answers() {
    }

    /** A JSON answer. */
    public static HttpResponse json(int status, JsonNode body) {
        return new HttpResponse(status, jsonHeaders(Map.of()), Json.bytes(body));
    }

    /** {@code {"error": {"code", "message"}}} with the code's status and {@code extra} headers. */
    public static HttpResponse error(ErrorCode code, String message, Map<String, String> extra) {
        return new HttpResponse(code.httpStatus(), jsonHeaders(extra), Json.bytes(Json.error(code.wireName(), message)));
    }

    /** 500 {@code internal_error}; the details belong in the log, never in the answer. */
    public static HttpResponse internalError() {
        return error(ErrorCode.INTERNAL_ERROR, "Something went wrong on the server; try again, and check the server log "
                + "if it keeps happening.", Map.of());
    }

    /** A 200 TwiML answer. */
    public static HttpResponse twiml(String xml) {
        return new HttpResponse(200, Map.of("Content-Type", "text/xml"), xml.getBytes(StandardCharsets.UTF_8));
    }

    /** The empty TwiML answer a webhook is acknowledged with. */
    public static HttpResponse emptyTwiml() {
        return twiml(Twiml.empty());
    }

    /**
     * The headers of every JSON answer: never cached, never sniffed into HTML by a browser, and no script,
     * style or frame may load from it should a browser render it anyway.
     */
    private static Map<String, String> jsonHeaders(Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Content-Security-Policy", "default-src 'none'");
        return headers;
    }
}
