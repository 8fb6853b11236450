package dev.frontdesk.sms;

import java.util.Objects;

/**
 * What {@link LeadRepository#recordInbound} did.
 *
 * @param lead       the lead after the message (created, or found and updated)
 * @param message    the stored inbound message (the earlier one when this was a repeat)
 * @param duplicate  whether the MessageSid was already stored, so nothing changed
 * @param replyJobId the reply job enqueued for this message, or null (duplicate, keyword, opted out)
 */
public record InboundResult(Lead lead, Message message, boolean duplicate, Long replyJobId) {
    public InboundResult {
        Objects.requireNonNull(lead, "lead");
        Objects.requireNonNull(message, "message");
    }
}
