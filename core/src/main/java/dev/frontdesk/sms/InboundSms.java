package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.LogSafe;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An inbound SMS/MMS webhook from Twilio, with every parameter Twilio posted kept in {@link #parameters()}. Read
 * from the form by {@code TwilioWebhooks.inboundSms}.
 *
 * @param messageSid          Twilio's {@code MessageSid} ({@code SM} or {@code MM} and 32 hex digits); the idempotency key of the inbound flow
 * @param accountSid          {@code AccountSid}, or null
 * @param messagingServiceSid {@code MessagingServiceSid}, or null when the number is not in a service
 * @param from                the customer's number
 * @param to                  the business number the customer texted ({@code To}), or null
 * @param body                {@code Body}, never null (empty for a picture-only MMS)
 * @param numSegments         {@code NumSegments}, or null
 * @param media               {@code MediaUrlN}/{@code MediaContentTypeN} for N below {@code NumMedia}
 * @param optOutType          {@code OptOutType} (STOP, START or HELP) sent with Advanced Opt-Out, or null
 * @param parameters          every form parameter as posted, in order, unmodifiable
 * @param channel             the channel it came on: {@link Channel#WHATSAPP} for {@code From=whatsapp:+1555...} (then
 *                            {@code from} is the number without the prefix, and {@code to} the {@code whatsapp:} address
 *                            the customer wrote to), else {@link Channel#SMS}
 */
public record InboundSms(String messageSid, String accountSid, String messagingServiceSid, PhoneNumber from,
                         String to, String body, Integer numSegments, List<MediaItem> media, String optOutType,
                         Map<String, String> parameters, Channel channel) {

    /** An inbound SMS/MMS. */
    public InboundSms(String messageSid, String accountSid, String messagingServiceSid, PhoneNumber from, String to,
                      String body, Integer numSegments, List<MediaItem> media, String optOutType, Map<String, String> parameters) {
        this(messageSid, accountSid, messagingServiceSid, from, to, body, numSegments, media, optOutType, parameters, Channel.SMS);
    }

    /** Twilio allows at most 10 media items per message. */
    public static final int MAX_MEDIA = 10;
    /** The longest body stored; Twilio's own limit is 1,600 characters, so only a forged webhook comes near it. */
    public static final int MAX_BODY_CHARS = 65_535;

    /** Bounds a field Twilio fills with an identifier or code (e.g. {@code ErrorCode}): letters and digits, at most 64. */
    static final Pattern SID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /**
     * A Twilio message SID: {@code SM} (SMS) or {@code MM} (MMS) and 32 hex digits. Held to exactly this shape
     * because Twilio's signature joins names and values without separators: {@code MessageSid=SM...&NumMedia=0}
     * and {@code MessageSid=SM...NumMedia0} carry the same signature, and only the shape tells the re-cut one apart.
     */
    public static final Pattern MESSAGE_SID = Pattern.compile("(SM|MM)[0-9a-fA-F]{32}");
    private static final int MAX_TO_CHARS = 32;

    public InboundSms {
        if (messageSid == null || messageSid.isBlank()) {
            throw new InvalidRequestException("MessageSid is missing from the webhook.");
        }
        requireMessageSid("MessageSid", messageSid);
        Objects.requireNonNull(from, "from");
        channel = channel == null ? Channel.SMS : channel;
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

    /** The sender as Twilio names it on the channel: {@code +1555...} or {@code whatsapp:+1555...}. */
    public String fromAddress() {
        return channel.address(from);
    }

    static void requireMessageSid(String name, String value) {
        if (!MESSAGE_SID.matcher(value).matches()) {
            throw new InvalidRequestException(name + " is not a Twilio message SID (SM or MM and 32 hex digits, like SM"
                    + "0123456789abcdef0123456789abcdef), was '" + LogSafe.truncate(value, 40) + "'.");
        }
    }

    static String withoutNul(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
