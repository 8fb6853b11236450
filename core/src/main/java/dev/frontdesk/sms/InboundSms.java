package dev.frontdesk.sms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An inbound SMS/MMS webhook from Twilio, with every parameter Twilio posted kept in {@link #parameters()}.
 *
 * @param messageSid          Twilio's {@code MessageSid}; the idempotency key of the inbound flow
 * @param accountSid          {@code AccountSid}, or null
 * @param messagingServiceSid {@code MessagingServiceSid}, or null when the number is not in a service
 * @param from                the customer's number
 * @param to                  the business number the customer texted ({@code To}), or null
 * @param body                {@code Body}, never null (empty for a picture-only MMS)
 * @param numSegments         {@code NumSegments}, or null
 * @param media               {@code MediaUrlN}/{@code MediaContentTypeN} for N below {@code NumMedia}
 * @param optOutType          {@code OptOutType} (STOP, START or HELP) sent with Advanced Opt-Out, or null
 * @param parameters          every form parameter as posted, in order, unmodifiable
 */
public record InboundSms(String messageSid, String accountSid, String messagingServiceSid, PhoneNumber from,
                         String to, String body, Integer numSegments, List<MediaItem> media, String optOutType,
                         Map<String, String> parameters) {

    /** Twilio allows at most 10 media items per message. */
    public static final int MAX_MEDIA = 10;
    /** The longest body stored; Twilio's own limit is 1,600 characters, so only a forged webhook comes near it. */
    public static final int MAX_BODY_CHARS = 65_535;

    /** Twilio SIDs are two letters and 32 hex digits; anything outside this shape is not from Twilio. */
    static final Pattern SID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_TO_CHARS = 32;
    private static final int MAX_URL_CHARS = 2048;
    private static final int MAX_CONTENT_TYPE_CHARS = 255;

    public InboundSms {
        if (messageSid == null || messageSid.isBlank()) {
            throw new InvalidRequestException("MessageSid is missing from the webhook.");
        }
        if (!SID.matcher(messageSid).matches()) {
            throw new InvalidRequestException("MessageSid is not a Twilio message SID (letters and digits, at most 64).");
        }
        Objects.requireNonNull(from, "from");
        // No database text column holds U+0000 (PostgreSQL refuses it); it is never part of a real text.
        body = body == null ? "" : withoutNul(body);
        if (body.length() > MAX_BODY_CHARS) {
            throw new InvalidRequestException("Body is " + body.length() + " characters; no SMS is longer than "
                    + MAX_BODY_CHARS + ".");
        }
        to = to == null ? null : withoutNul(to);
        if (to != null && to.length() > MAX_TO_CHARS) {
            throw new InvalidRequestException("To is not a phone number (" + to.length() + " characters).");
        }
        media = media == null ? List.of() : List.copyOf(media);
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Reads Twilio's webhook form parameters.
     *
     * @param defaultRegion region for a {@code From} written without a country code (Twilio always sends E.164)
     * @throws InvalidRequestException      if {@code From} or {@code MessageSid} is missing, or a number field is not a number
     * @throws InvalidPhoneNumberException if {@code From} is not a phone number
     */
    public static InboundSms fromParameters(Map<String, String> params, String defaultRegion) {
        String sid = blankToNull(params.get("MessageSid"));
        if (sid == null) {
            sid = blankToNull(params.get("SmsMessageSid"));
        }
        if (sid == null) {
            throw new InvalidRequestException("MessageSid is missing from the webhook.");
        }
        String from = blankToNull(params.get("From"));
        if (from == null) {
            throw new InvalidRequestException("From is missing from the webhook.");
        }
        int numMedia = parseCount(params.get("NumMedia"), "NumMedia");
        List<MediaItem> media = new ArrayList<>();
        for (int i = 0; i < Math.min(numMedia, MAX_MEDIA); i++) {
            String url = blankToNull(params.get("MediaUrl" + i));
            if (url != null) {
                url = withoutNul(url);
                if (url.length() > MAX_URL_CHARS) {
                    throw new InvalidRequestException("MediaUrl" + i + " is longer than " + MAX_URL_CHARS + " characters.");
                }
                String type = blankToNull(params.get("MediaContentType" + i));
                if (type != null && (type.length() > MAX_CONTENT_TYPE_CHARS || type.indexOf('\0') >= 0)) {
                    type = null;
                }
                media.add(new MediaItem(url, type));
            }
        }
        String segments = blankToNull(params.get("NumSegments"));
        return new InboundSms(sid, blankToNull(params.get("AccountSid")), blankToNull(params.get("MessagingServiceSid")),
                PhoneNumber.parse(from, defaultRegion), blankToNull(params.get("To")), params.getOrDefault("Body", ""),
                segments == null ? null : parseCount(segments, "NumSegments"), media,
                blankToNull(params.get("OptOutType")), params);
    }

    private static int parseCount(String value, String name) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a whole number, was '" + LogSafe.truncate(value, 20) + "'.");
        }
    }

    static String withoutNul(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
