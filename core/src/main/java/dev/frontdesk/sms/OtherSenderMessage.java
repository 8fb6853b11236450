package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Objects;

/**
 * A text from an {@link OtherSender} (short code, alphanumeric sender ID, channel address): stored once per
 * MessageSid, never answered automatically. The same record is the webhook read and the stored row.
 *
 * @param id        the store's id, or null before it is stored
 * @param twilioSid {@code MessageSid} ({@code SM} or {@code MM} and 32 hex digits)
 * @param sender    who sent it
 * @param to        the business address it was sent to ({@code To}), or null
 * @param body      {@code Body}, never null
 * @param numMedia  {@code NumMedia}, 0 or more (the media themselves are not kept)
 * @param leadId    the lead it belongs to, or null while it cannot be tied to one (a short code or sender ID
 *                  never can; a channel address can once leads of that channel exist)
 * @param createdAt when it was stored, or null before
 */
public record OtherSenderMessage(Long id, String twilioSid, OtherSender sender, String to, String body, int numMedia,
                                 Long leadId, Instant createdAt) {

    /** The longest {@code To} kept (a channel address such as {@code whatsapp:+15551234567}). */
    public static final int MAX_TO_CHARS = 64;

    public OtherSenderMessage {
        Objects.requireNonNull(twilioSid, "twilioSid");
        InboundSms.requireMessageSid("MessageSid", twilioSid);
        Objects.requireNonNull(sender, "sender");
        body = body == null ? "" : InboundSms.withoutNul(body);
        if (body.length() > InboundSms.MAX_BODY_CHARS) {
            throw new InvalidRequestException("Body is " + body.length() + " characters; no message is longer than "
                    + InboundSms.MAX_BODY_CHARS + ".");
        }
        to = to == null ? null : InboundSms.withoutNul(to);
        if (to != null && to.length() > MAX_TO_CHARS) {
            throw new InvalidRequestException("To is not a business address (" + to.length() + " characters).");
        }
        if (numMedia < 0) {
            throw new InvalidRequestException("NumMedia must not be negative.");
        }
    }
}
