package dev.frontdesk.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable queue of reply jobs. Jobs are enqueued by {@link LeadRepository#recordInbound} in the
 * same transaction as the inbound message, so an acknowledged message always has its job.
 *
 * <p>A worker claims a job with a lease; while it holds the lease no other worker gets the job; once
 * the lease expires (the worker died or hung) any worker may claim it again. Every method that changes
 * a claimed job names the worker and does nothing (returns false) if that worker no longer holds it.
 * Implementations must be safe for many workers in many processes at once. Reached through
 * {@link LeadRepository#replyQueue()}; every method throws {@link StoreUnavailableException} when the store
 * cannot be reached, and changes nothing then.
 */
public interface ReplyQueue {

    /**
     * Claims the oldest job that is due and not leased (or whose lease has expired), and reads everything it
     * needs, in one call (one transaction where the store has them); when nothing is due, says when the next job
     * becomes claimable, so an idle worker knows how long to wait without asking again.
     *
     * @param workerId       a name unique to the claiming worker
     * @param lease          how long the claim lasts unless extended
     * @param now            the current time
     * @param historyLimit   how many of the lead's most recent messages to read (0 for none)
     * @param autoRepliesSince the start of the abuse caps' window: {@link ReplyContext#autoReplies()} counts the
     *                       automatic replies noted from then on
     */
    ReplyClaim claimNext(String workerId, Duration lease, Instant now, int historyLimit, Instant autoRepliesSince);

    /**
     * Claims the oldest due job without reading its context: {@link #claimNext} with no history.
     *
     * @return the claimed job, or empty when nothing is due
     */
    default Optional<ReplyJob> claim(String workerId, Duration lease, Instant now) {
        return claimNext(workerId, lease, now, 0, now).claimed().map(ReplyContext::job);
    }

    /** Extends a held lease to {@code leaseUntil}; false if the worker no longer holds the job. */
    boolean extendLease(long jobId, String workerId, Instant leaseUntil);

    /** Marks a held job done; false if the worker no longer holds it. */
    boolean complete(long jobId, String workerId, Instant now);

    /**
     * Gives a held job back to be claimed again at {@code runAt} (retry after a failure, or release at
     * shutdown with {@code runAt} = now); false if the worker no longer holds it.
     */
    boolean retryLater(long jobId, String workerId, String lastError, Instant runAt);

    /**
     * Gives a held job back without running it, to be claimed again at {@code runAt} (its reply waits for the
     * customer's burst of texts to end); unlike {@link #retryLater} the claim is not counted in the job's
     * attempts. False if the worker no longer holds it.
     */
    boolean postpone(long jobId, String workerId, Instant runAt);

    /** Jobs not done yet (due, leased or waiting for a retry). */
    long pendingCount();

    /** The earliest time a job that is not done becomes claimable, or empty when there is none. */
    Optional<Instant> nextDueAt(Instant now);

    /**
     * Asks the store to call {@code wake} soon after another process (another store object on the same
     * database) enqueues a job or gives one back to be run, with the instant the job is due (null when it is due now
     * or the store cannot say), so that idle workers claim it when it is due without polling; on PostgreSQL the JDBC
     * store does this with {@code LISTEN}/{@code NOTIFY}. Jobs this store object enqueues or gives back itself need
     * not be announced: the front desk wakes its own workers for those. {@code wake} is quick and does not throw; it
     * may be called from a thread of the store's, more often than jobs arrive (for example with null after the store
     * reconnects), and when nothing is due. Stores that cannot announce jobs keep this default, and workers then poll.
     *
     * @return the subscription, which stops the calls and frees what it holds when closed; empty when this store
     *         cannot announce jobs
     */
    default Optional<AutoCloseable> onJobReady(Consumer<Instant> wake) {
        return Optional.empty();
    }

    // ------------------------------------------------------------------ one store call per step of a reply

    /**
     * Records the reply to a held job and fences the job's lease, in one transaction: when {@code workerId} still
     * holds the job, extends its lease to {@code leaseUntil}, records the booking details of {@code findings} as
     * {@link LeadStore#updateQualification} does for the AI (staff-set fields stay), and records {@code message} as
     * {@link MessageStore#recordOutbound} does (the message an earlier attempt recorded for the job is returned
     * unchanged). When the lead's AI is not active at the message's {@code createdAt} (staff took the conversation
     * over while the reply was written), or when the job is a {@link ReplyJob.Kind#FOLLOW_UP} and the customer texted
     * since it was scheduled (while a worker held it, so it was not cancelled), the message is not recorded, the job is
     * completed and {@link RecordedReply#takenOver()} is true. When the worker no
     * longer holds the job nothing changes: a worker that lost its lease neither records nor sends a reply the new
     * holder will send.
     *
     * Whatever a store writes for the rest of {@code findings} (a handoff request) it writes in the same transaction,
     * only when the reply is recorded.
     *
     * @param message  the reply; its {@code replyJobId} must be {@code jobId}
     * @param findings what the reply path learned about the lead, {@link ReplyFindings#NONE} for nothing
     * @throws LeadNotFoundException for an unknown lead (nothing changes)
     */
    RecordedReply recordReply(long jobId, String workerId, Instant leaseUntil, NewOutboundMessage message,
            ReplyFindings findings);

    /**
     * {@link #recordReply(long, String, Instant, NewOutboundMessage, ReplyFindings)} with booking details only.
     *
     * @param learned what the AI learned about the lead (booking details), empty for nothing
     */
    default RecordedReply recordReply(long jobId, String workerId, Instant leaseUntil, NewOutboundMessage message,
            Map<Qualification.Field, String> learned) {
        return recordReply(jobId, workerId, leaseUntil, message, ReplyFindings.of(learned));
    }

    /**
     * Records that the job's reply went out, in one transaction: stores what the provider answered as
     * {@link MessageStore#markSent} does, records {@code aiCall} when it is not null
     * ({@link UsageLedger#recordAiCall}), completes the job when {@code workerId} still holds it, and completes the
     * lead's other jobs not done whose inbound message is at most {@code answeredThroughMessageId} (texts the reply
     * was written after: a burst that went on past the settle limit is answered once). The message is out either
     * way, so its SID and the AI call are recorded also when the lease was lost.
     *
     * @param answeredThroughMessageId the newest message the reply was written from, 0 for none
     * @return whether this call completed the job (false: the worker no longer held it)
     * @throws DuplicateTwilioSidException if another message already has that SID (nothing is changed)
     */
    default boolean completeSent(long jobId, String workerId, long messageId, SendResult result, AiCall aiCall,
            long answeredThroughMessageId, Instant now) {
        return completeSent(jobId, workerId, messageId, result, aiCall, answeredThroughMessageId, now, null);
    }

    /**
     * {@link #completeSent(long, String, long, SendResult, AiCall, long, Instant)}, and, when {@code followUpAt} is not
     * null, in the same transaction the lead's follow-up: a job of kind {@link ReplyJob.Kind#FOLLOW_UP} due then, which
     * replaces the lead's follow-up not yet claimed (a lead has at most one waiting). Scheduled also when the lease was
     * lost, since the text is out.
     *
     * @param followUpAt when the lead is nudged if they stay quiet ({@code FOLLOW_UP_HOURS} after this text), null for no follow-up
     */
    boolean completeSent(long jobId, String workerId, long messageId, SendResult result, AiCall aiCall,
            long answeredThroughMessageId, Instant now, Instant followUpAt);
}
