package dev.frontdesk.sms;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One SMS or MMS in a lead's conversation, as stored.
 *
 * @param id          store-assigned id, positive
 * @param leadId      the lead this message belongs to
 * @param twilioSid   Twilio's SID ({@code SM...}/{@code MM...}), null until Twilio accepted an outbound message
 * @param direction   inbound (from the customer) or outbound
 * @param from        sender: E.164 number, or null while a Messaging Service has not picked one
 * @param to          recipient: E.164 number (for inbound, the business number the customer texted)
 * @param body        the text, exactly as received or sent
 * @param status      where the message stands
 * @param errorCode   Twilio's error code, or a contract code such as {@code unverified_number}; else null
 * @param numSegments SMS segments the body takes, or null when unknown
 * @param media       media URLs in order (MMS), never null
 * @param sentAt      when Twilio accepted an outbound message, else null
 * @param deliveredAt when Twilio reported it delivered, else null
 * @param createdAt   when the message was recorded
 */
public record Message(long id, long leadId, String twilioSid, Direction direction, String from, String to,
                      String body, MessageStatus status, String errorCode, Integer numSegments, List<String> media,
                      Instant sentAt, Instant deliveredAt, Instant createdAt) {

    public Message {
        if (id <= 0) {
            throw new IllegalArgumentException("Message id must be positive, was " + id);
        }
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        media = media == null ? List.of() : List.copyOf(media);
    }
}
