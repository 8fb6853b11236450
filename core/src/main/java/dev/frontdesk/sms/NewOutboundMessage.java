package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Objects;

/**
 * An outbound message to record before it is sent (status {@code pending}) or instead of sending it
 * (status {@code failed} or {@code simulated}).
 *
 * @param leadId      the lead it goes to
 * @param from        the sending number, or null when a Messaging Service will choose
 * @param to          the recipient, E.164
 * @param body        the text
 * @param status      its status now
 * @param errorCode   why it was not sent, or null
 * @param numSegments segments the body takes
 * @param replyJobId  the reply job it answers, or null for a staff message; at most one message per job
 * @param createdAt   when it was recorded
 */
public record NewOutboundMessage(long leadId, String from, String to, String body, MessageStatus status,
                                 String errorCode, Integer numSegments, Long replyJobId, Instant createdAt) {
    public NewOutboundMessage {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
