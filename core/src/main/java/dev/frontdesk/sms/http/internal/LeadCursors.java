package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.LeadCursor;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code cursor} of {@code GET /api/leads} as the API shows it: opaque to clients (base64url of a versioned
 * position), so the position's shape may change without changing the contract. Stateless.
 */
final class LeadCursors {
    private static final Pattern V1 = Pattern.compile("v1:(-?[0-9]{1,19}):([0-9]{1,9}):([0-9]{1,19})");
    private static final int MAX_CHARS = 200;

    private LeadCursors() {
    }

    static String encode(LeadCursor cursor) {
        String raw = "v1:" + cursor.activityAt().getEpochSecond() + ":" + cursor.activityAt().getNano() + ":" + cursor.leadId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws ApiError 400 {@code invalid_request} for anything this class did not write */
    static LeadCursor decode(String token) {
        if (token.length() > MAX_CHARS) {
            throw invalid();
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        Matcher m = V1.matcher(raw);
        if (!m.matches()) {
            throw invalid();
        }
        try {
            Instant at = Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            long id = Long.parseLong(m.group(3));
            return new LeadCursor(at, id);
        } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
            throw invalid();
        }
    }

    private static ApiError invalid() {
        return new ApiError(ErrorCode.INVALID_REQUEST, "cursor is not one this server handed out: pass the nextCursor of "
                + "the previous page unchanged, or leave cursor out to start from the most recent leads.");
    }
}
