package dev.frontdesk.sms.twilio;

import com.twilio.security.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the {@code X-Twilio-Signature} header of a webhook, for one auth token.
 *
 * <p>A thin layer over Twilio's own {@link RequestValidator}: the signature is an HMAC-SHA1 (keyed with
 * the auth token, Base64) of the full URL Twilio requested followed by every POST parameter name and
 * value, names sorted. Twilio may sign with or without the default port ({@code :443}/{@code :80}), and
 * both forms are accepted. JSON webhooks carry a {@code bodySHA256} query parameter (hex SHA-256 of the
 * raw body) and the signature covers the URL alone; see {@link #isValidJson}.
 *
 * <p>The checks are pure functions of URL, parameters, header and token; they never throw on hostile
 * input (a malformed URL or missing header is simply invalid). Immutable and thread-safe. The auth token
 * is never part of {@link #toString()}.
 */
public final class TwilioSignatures {

    private static final String HMAC_SHA1 = "HmacSHA1";

    private final RequestValidator validator;

    /**
     * @param authToken the account's auth token ({@code TWILIO_AUTH_TOKEN})
     * @throws IllegalArgumentException when {@code authToken} is null or blank
     */
    public TwilioSignatures(String authToken) {
        if (authToken == null || authToken.isBlank()) {
            throw new IllegalArgumentException("authToken is required to validate Twilio signatures (TWILIO_AUTH_TOKEN).");
        }
        this.validator = new RequestValidator(authToken);
    }

    /**
     * Whether {@code signatureHeader} is Twilio's signature of a form-encoded webhook.
     *
     * @param url             the URL Twilio requested, with its query (the public URL, not the one a proxy forwarded to)
     * @param formParams      the POST parameters (not the query parameters); null counts as none
     * @param signatureHeader the {@code X-Twilio-Signature} header value; null or blank is invalid
     */
    public boolean isValid(String url, Map<String, String> formParams, String signatureHeader) {
        if (url == null || url.isBlank() || signatureHeader == null || signatureHeader.isBlank()) {
            return false;
        }
        try {
            return validator.validate(url, formParams == null ? Map.of() : formParams, signatureHeader.strip());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether {@code signatureHeader} is Twilio's signature of a JSON webhook: the signature covers the
     * URL (which must carry {@code bodySHA256}), and {@code bodySHA256} must be the hex SHA-256 of
     * {@code rawBody} (UTF-8).
     *
     * @return false when the URL has no {@code bodySHA256}, when it does not match the body, or when the
     *         signature does not match
     */
    public boolean isValidJson(String url, String rawBody, String signatureHeader) {
        if (url == null || url.isBlank() || rawBody == null || signatureHeader == null || signatureHeader.isBlank()) {
            return false;
        }
        try {
            return validator.validate(url, rawBody, signatureHeader.strip());
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Computes the signature Twilio would send for a form-encoded request: for tests and webhook simulators.
     * The URL is signed exactly as given (add or leave out the port as the simulated Twilio would).
     *
     * @param authToken  the auth token to sign with
     * @param url        the full URL, with query
     * @param formParams the POST parameters, or null for none
     * @return the Base64 HMAC-SHA1, the value of {@code X-Twilio-Signature}
     */
    public static String sign(String authToken, String url, Map<String, String> formParams) {
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(url, "url");
        StringBuilder data = new StringBuilder(url);
        if (formParams != null) {
            List<String> names = new ArrayList<>(formParams.keySet());
            Collections.sort(names);
            for (String name : names) {
                String value = formParams.get(name);
                data.append(name).append(value == null ? "" : value);
            }
        }
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            // RequestValidator keys with the platform charset; tokens are ASCII hex, so UTF-8 is the same bytes.
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
        }
    }

    /** The hex SHA-256 of {@code rawBody} (UTF-8), the value of the {@code bodySHA256} query parameter. */
    public static String bodySha256(String rawBody) {
        Objects.requireNonNull(rawBody, "rawBody");
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(rawBody.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(digest.length * 2);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "TwilioSignatures{authToken=(set)}";
    }
}
