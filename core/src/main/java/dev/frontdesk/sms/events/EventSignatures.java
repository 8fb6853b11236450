package dev.frontdesk.sms.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies the front desk's event webhooks, for the host's CRM receiver.
 *
 * <p>Each event POST carries {@code FrontDesk-Timestamp} (Unix seconds) and {@code FrontDesk-Signature:
 * v1=<hex>}, where {@code <hex>} is the lower-case hex HMAC-SHA256, keyed with {@code EVENTS_WEBHOOK_SECRET}
 * (its UTF-8 bytes), of {@code "<timestamp>.<body>"} (the raw body bytes as received). A header may carry several
 * comma-separated {@code v1=} values while a secret is rotated; one match is enough. The timestamp must lie within
 * the tolerance of the receiver's clock, so a captured request cannot be replayed later.
 *
 * <p>Pure functions, immutable and thread-safe; {@link #verify} never throws on hostile input, and compares in
 * constant time.
 */
public final class EventSignatures {

    /** The header with the signature. */
    public static final String SIGNATURE_HEADER = "FrontDesk-Signature";
    /** The header with the signing time, Unix seconds. */
    public static final String TIMESTAMP_HEADER = "FrontDesk-Timestamp";
    /** The header with the event's id, the same on every retry (receivers deduplicate on it). */
    public static final String EVENT_ID_HEADER = "FrontDesk-Event-Id";
    /** A tolerance that suits most receivers: five minutes either way. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String SCHEME = "v1=";
    private static final String HMAC_SHA256 = "HmacSHA256";

    private EventSignatures() {
    }

    /**
     * The {@code FrontDesk-Signature} value for {@code body} signed at {@code timestamp} (Unix seconds).
     *
     * @throws IllegalArgumentException when the secret is null or empty
     */
    public static String sign(String secret, long timestamp, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(hmac(secret, timestamp, Objects.requireNonNull(body, "body")));
    }

    /** {@link #sign(String, long, byte[])} of a UTF-8 body. */
    public static String sign(String secret, long timestamp, String body) {
        return sign(secret, timestamp, Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code signatureHeader} signs {@code body} at {@code timestampHeader} with {@code secret}, and that
     * timestamp lies within {@code tolerance} of now (the system clock).
     *
     * @param signatureHeader the {@code FrontDesk-Signature} header, one or more comma-separated {@code v1=} values
     * @param timestampHeader the {@code FrontDesk-Timestamp} header, Unix seconds
     * @param body            the request body exactly as received
     * @return false for a missing, malformed or wrong signature, a malformed timestamp, or one outside the tolerance
     */
    public static boolean verify(String secret, String signatureHeader, String timestampHeader, byte[] body, Duration tolerance) {
        return verify(secret, signatureHeader, timestampHeader, body, tolerance, Clock.systemUTC());
    }

    /** {@link #verify(String, String, String, byte[], Duration)} of a UTF-8 body. */
    public static boolean verify(String secret, String signatureHeader, String timestampHeader, String body, Duration tolerance) {
        return body != null && verify(secret, signatureHeader, timestampHeader, body.getBytes(StandardCharsets.UTF_8), tolerance);
    }

    /** {@link #verify(String, String, String, byte[], Duration)} against {@code clock}'s now (tests). */
    public static boolean verify(String secret, String signatureHeader, String timestampHeader, byte[] body, Duration tolerance,
            Clock clock) {
        if (secret == null || secret.isEmpty() || signatureHeader == null || timestampHeader == null || body == null
                || tolerance == null || tolerance.isNegative() || clock == null) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        long age = Math.abs(clock.instant().getEpochSecond() - timestamp);
        if (timestamp < 0 || age > tolerance.getSeconds()) {
            return false;
        }
        byte[] expected = hmac(secret, timestamp, body);
        boolean match = false;
        for (String part : signatureHeader.split(",")) {
            String p = part.strip();
            if (!p.startsWith(SCHEME)) {
                continue; // another scheme a later version may add
            }
            byte[] given;
            try {
                given = HexFormat.of().parseHex(p.substring(SCHEME.length()).toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                continue;
            }
            // Every value is compared, so the time taken does not say which one matched.
            match |= MessageDigest.isEqual(expected, given);
        }
        return match;
    }

    /** The {@code FrontDesk-Timestamp} value for {@code at}: Unix seconds. */
    public static String timestamp(Instant at) {
        return Long.toString(at.getEpochSecond());
    }

    private static byte[] hmac(String secret, long timestamp, byte[] body) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret is required to sign events (EVENTS_WEBHOOK_SECRET).");
        }
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA256));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
