package dev.frontdesk.sms;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a claimed reply job needs from the store, read with the claim by {@link ReplyQueue#claimNext}.
 *
 * @param job                the job
 * @param lead               its lead; null when there is no such lead
 * @param textedNumber       the number the customer texted (the {@code To} of the inbound message the job answers);
 *                           null when that message is gone
 * @param reply              the outbound message an earlier attempt recorded for the job; null when none
 * @param history            the lead's most recent messages, oldest first, at most as many as asked for
 * @param autoReplyAiCall    the job's note for the abuse caps ({@link UsageLedger#recordAutoReply}): whether it was
 *                           for an AI call; null when the job has none
 * @param firstUnansweredAt  {@link MessageStore#firstUnansweredAt} of the lead; null when there is none
 * @param laterJobPending    whether a job for the same lead, enqueued after this one, is not done yet (the customer
 *                           texted again: one reply may answer both)
 * @param autoReplies        the automatic replies noted since the time the claim asked about, for the abuse caps
 */
public record ReplyContext(ReplyJob job, Lead lead, String textedNumber, Message reply, List<Message> history,
                           Boolean autoReplyAiCall, Instant firstUnansweredAt, boolean laterJobPending,
                           AutoReplyCounts autoReplies) {

    public ReplyContext {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(autoReplies, "autoReplies");
        history = List.copyOf(history);
        if (lead != null && lead.id() != job.leadId()) {
            throw new IllegalArgumentException("lead " + lead.id() + " is not the job's lead " + job.leadId());
        }
    }

    /** {@link #lead()}, empty when there is no such lead. */
    public Optional<Lead> findLead() {
        return Optional.ofNullable(lead);
    }

    /**
     * The newest message of {@link #history()} (0 when it is empty): a reply written from this context answers the
     * lead's texts up to this one.
     */
    public long historyThroughId() {
        return history.stream().mapToLong(Message::id).max().orElse(0);
    }

    /** {@link #reply()}, empty when no attempt recorded one. */
    public Optional<Message> earlierReply() {
        return Optional.ofNullable(reply);
    }
}
