package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.http.StaffAuthorizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code Authorization: Bearer <key>}, compared in constant time. Only the SHA-256 of the key is kept, so
 * neither the key nor its length leaks through timing or {@link #toString()}.
 */
public final class BearerKeyAuthorizer implements StaffAuthorizer {
    private static final String PREFIX = "Bearer ";

    private final byte[] expected;

    public BearerKeyAuthorizer(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank; set FRONTDESK_API_KEY to a long random string.");
        }
        this.expected = sha256(key.strip());
    }

    @Override
    public boolean isAuthorized(HttpRequest request) {
        String header = request.header("Authorization");
        String given = "";
        if (header != null) {
            String h = header.strip();
            if (h.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                given = h.substring(PREFIX.length()).strip();
            }
        }
        // Always hash and compare, also for a missing header, so every refusal takes the same path.
        boolean equal = MessageDigest.isEqual(expected, sha256(given));
        return equal && !given.isEmpty();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "StaffAuthorizer.bearerKey(***)";
    }
}
