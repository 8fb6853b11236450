package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A durable request to text a lead, as claimed from a {@link ReplyQueue}: the answer to one inbound message
 * ({@link Kind#REPLY}), or a text the front desk sends on its own: after a missed call ({@link Kind#MISSED_CALL}), or one
 * nudge to a lead who went quiet after the business's last text ({@link Kind#FOLLOW_UP}).
 *
 * @param id               job id
 * @param leadId           the lead to answer
 * @param inboundMessageId the inbound message that asked for the reply; 0 for a job of another kind, which answers none
 * @param attempts         how many times the job has been claimed, including this claim
 * @param leaseOwner       the worker that holds it now
 * @param leaseUntil       when another worker may take it over
 * @param createdAt        when it was enqueued (the inbound message's commit)
 * @param kind             why the job texts the lead
 */
public record ReplyJob(long id, long leadId, long inboundMessageId, int attempts, String leaseOwner,
                       Instant leaseUntil, Instant createdAt, Kind kind) {

    /** Why the job texts the lead; stored as its {@link #wireName()} (column {@code reply_jobs.kind}). */
    public enum Kind {
        /** Answers an inbound text. */
        REPLY,
        /** Texts a caller whose call nobody answered. */
        MISSED_CALL,
        /**
         * Nudges a lead who has not answered the business's last text for {@code FOLLOW_UP_HOURS}; scheduled when that
         * text was sent, replaced by a later one, cancelled by the customer's next text or opt-out.
         */
        FOLLOW_UP;

        /** The stored name: {@code reply}, {@code missed_call}, {@code follow_up}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for a name no kind has */
        public static Kind fromWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    public ReplyJob {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
