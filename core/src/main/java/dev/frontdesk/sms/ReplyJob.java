package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Objects;

/**
 * A durable request to answer one inbound message, as claimed from a {@link ReplyQueue}.
 *
 * @param id               job id
 * @param leadId           the lead to answer
 * @param inboundMessageId the inbound message that asked for the reply
 * @param attempts         how many times the job has been claimed, including this claim
 * @param leaseOwner       the worker that holds it now
 * @param leaseUntil       when another worker may take it over
 * @param createdAt        when it was enqueued (the inbound message's commit)
 */
public record ReplyJob(long id, long leadId, long inboundMessageId, int attempts, String leaseOwner,
                       Instant leaseUntil, Instant createdAt) {
    public ReplyJob {
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
