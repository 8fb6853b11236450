package dev.frontdesk.sms.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.http.HttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/** Reads request bodies within their cap: 413 past it, 400 when the body breaks off. */
public final class Bodies {
    private Bodies() {
    }

    /**
     * The body, at most {@code max} bytes.
     *
     * @throws ApiError 413 {@code payload_too_large} when {@code Content-Length} or the bytes read pass {@code max}; 400
     *         {@code invalid_request} when the body cannot be read
     */
    public static byte[] read(HttpRequest request, int max) {
        if (request.contentLength() > max) {
            throw tooLarge(max);
        }
        try (InputStream in = request.body()) {
            long declared = request.contentLength();
            if (declared >= 0) {
                // Its length is known (and within the cap): read into an array of that size, not through the 8 KiB
                // buffers that readNBytes(int) allocates for a body of unknown length.
                byte[] body = new byte[(int) declared];
                int read = in.readNBytes(body, 0, body.length);
                return read == body.length ? body : Arrays.copyOf(body, read);
            }
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw tooLarge(max);
            }
            return body;
        } catch (IOException e) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "The request body could not be read completely; send it again.");
        }
    }

    /**
     * A staff JSON body that must be an object: 415 unless {@code application/json} in UTF-8, then 413, then 400.
     *
     * @param what    what to send, for the 415 message, e.g. {@code "JSON"}
     * @param example an object of the right shape, for the 400 message
     */
    public static JsonNode jsonObject(HttpRequest request, int max, String what, String example) {
        String contentType = request.header("Content-Type");
        String type = Forms.mediaType(contentType);
        String charset = Forms.charset(contentType);
        if (!"application/json".equals(type) || (charset != null && !charset.equals("utf-8"))) {
            throw new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send " + what + " with 'Content-Type: application/json' (UTF-8).");
        }
        JsonNode json = Json.parse(read(request, max));
        if (!json.isObject()) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "The body must be a JSON object such as " + example + ".");
        }
        return json;
    }

    private static ApiError tooLarge(int max) {
        return new ApiError(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than the "
                + String.format(Locale.ROOT, "%,d", max) + " bytes this endpoint accepts; send less.");
    }
}
