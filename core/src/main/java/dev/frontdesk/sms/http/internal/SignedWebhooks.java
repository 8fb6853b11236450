package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.http.FrontDeskHttpHandler;
import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Twilio webhook's form and checks its {@code X-Twilio-Signature} against the URL Twilio called: the public
 * base URL plus the request's path and query, or, behind a trusted proxy, the URL rebuilt from
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}. Thread-safe.
 */
public final class SignedWebhooks {
    private static final Logger log = LoggerFactory.getLogger(FrontDeskHttpHandler.class);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+");

    private final TwilioSignatures signatures;
    private final String publicBaseUrl;
    private final boolean trustForwardedHeaders;
    private final int maxBytes;

    /**
     * @param signingToken          the secret signatures are made with, or null to refuse every webhook
     * @param publicBaseUrl         where the handler is mounted as Twilio calls it, without a trailing {@code /}
     * @param trustForwardedHeaders whether {@code X-Forwarded-*} headers name the URL Twilio called
     * @param maxBytes              the largest form accepted
     */
    public SignedWebhooks(String signingToken, String publicBaseUrl, boolean trustForwardedHeaders, int maxBytes) {
        this.signatures = signingToken == null ? null : new TwilioSignatures(signingToken);
        this.publicBaseUrl = publicBaseUrl;
        this.trustForwardedHeaders = trustForwardedHeaders;
        this.maxBytes = maxBytes;
    }

    /**
     * The webhook's form parameters once its signature checks out: 415, 413, 400, then 403 {@code invalid_signature}.
     *
     * @throws ApiError for each refusal
     */
    public Map<String, String> read(HttpRequest request) {
        String type = Forms.mediaType(request.header("Content-Type"));
        if (type != null && !type.equals("application/x-www-form-urlencoded")) {
            throw new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Twilio webhooks must be sent as application/x-www-form-urlencoded, not " + LogSafe.truncate(type, 60) + ".");
        }
        byte[] body = Bodies.read(request, maxBytes);
        if (type == null && body.length > 0) {
            throw new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Twilio webhooks must be sent with Content-Type: application/x-www-form-urlencoded.");
        }
        Map<String, String> params = Forms.parse(new String(body, StandardCharsets.UTF_8), "form body", true);
        String url = url(request);
        if (signatures == null) {
            log.warn("⚠️  Twilio webhook for {} refused: no auth token is configured to check its signature (set TWILIO_AUTH_TOKEN)",
                    LogSafe.url(url));
            throw new ApiError(ErrorCode.INVALID_SIGNATURE, "This server cannot check Twilio signatures because no auth token "
                    + "is configured; set TWILIO_AUTH_TOKEN. Unsigned webhooks are refused.");
        }
        String header = request.header("X-Twilio-Signature");
        if (header == null || header.isBlank()) {
            log.warn("⚠️  Twilio webhook refused: no X-Twilio-Signature header (checked URL {})", LogSafe.url(url));
            throw new ApiError(ErrorCode.INVALID_SIGNATURE, "The X-Twilio-Signature header is missing; only Twilio may call this webhook.");
        }
        if (!signatures.isValid(url, params, header)) {
            log.warn("⚠️  Twilio webhook refused: signature does not match URL {} with {} parameters. If Twilio calls another URL, "
                    + "set PUBLIC_BASE_URL to its base.", LogSafe.url(url), params.size());
            throw new ApiError(ErrorCode.INVALID_SIGNATURE, "The X-Twilio-Signature header does not match this request. Check that "
                    + "the webhook URL in Twilio starts with PUBLIC_BASE_URL (" + publicBaseUrl + ") and that TWILIO_AUTH_TOKEN is the account's current token.");
        }
        return params;
    }

    /** The URL Twilio called: trusted forwarded headers if asked for and present, else the public base URL. */
    public String url(HttpRequest request) {
        String query = request.rawQuery() == null || request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery();
        if (trustForwardedHeaders) {
            String host = first(request.header("X-Forwarded-Host"));
            if (host != null && HOST.matcher(host).matches()) {
                String proto = first(request.header("X-Forwarded-Proto"));
                URI seen = URI.create(request.requestUrl());
                if (proto == null || !(proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))) {
                    proto = seen.getScheme();
                }
                return proto.toLowerCase(Locale.ROOT) + "://" + host + seen.getRawPath() + query;
            }
        }
        return publicBaseUrl + request.path() + query;
    }

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        String v = (comma < 0 ? header : header.substring(0, comma)).strip();
        return v.isEmpty() ? null : v;
    }
}
