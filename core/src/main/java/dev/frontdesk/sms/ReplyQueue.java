package dev.frontdesk.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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
     * Claims the oldest job that is due and not leased (or whose lease has expired).
     *
     * @param workerId a name unique to the claiming worker
     * @param lease    how long the claim lasts unless extended
     * @param now      the current time
     * @return the claimed job, or empty when nothing is due
     */
    Optional<ReplyJob> claim(String workerId, Duration lease, Instant now);

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

    /**
     * Whether a job for the same lead, enqueued after job {@code jobId}, is not done yet. The reply worker
     * then completes {@code jobId} without a reply of its own: the later job's reply is written from the
     * whole conversation, so texts sent in a burst are answered together by one reply (one AI call).
     */
    boolean laterJobPending(long jobId, long leadId);

    /** Jobs not done yet (due, leased or waiting for a retry). */
    long pendingCount();

    /** The earliest time a job that is not done becomes claimable, or empty when there is none. */
    Optional<Instant> nextDueAt(Instant now);

    /**
     * Asks the store to call {@code wake} soon after another process (another store object on the same
     * database) enqueues a job or gives one back to be run, so that idle workers find it without polling; on
     * PostgreSQL the JDBC store does this with {@code LISTEN}/{@code NOTIFY}. Jobs this store object enqueues or
     * gives back itself need not be announced: the front desk wakes its own workers for those. {@code wake} is
     * quick and does not throw; it may be called from a thread of the store's, more often than jobs arrive (for
     * example after the store reconnects), and when nothing is due. Stores that cannot announce jobs keep this
     * default, and workers then poll.
     *
     * @return the subscription, which stops the calls and frees what it holds when closed; empty when this store
     *         cannot announce jobs
     */
    default Optional<AutoCloseable> onJobReady(Runnable wake) {
        return Optional.empty();
    }

    // ------------------------------------------------------------------ one store call per step of a reply

    /**
     * Everything job {@code job} needs to be answered, read in one call (one transaction where the store has
     * them): its lead, the number the customer texted, the reply an earlier attempt recorded, the lead's most
     * recent {@code historyLimit} messages, the job's note for the abuse caps and the lead's first unanswered text.
     */
    ReplyContext context(ReplyJob job, int historyLimit);

    /**
     * Records the reply to a held job and fences the job's lease, in one transaction: when {@code workerId} still
     * holds the job, extends its lease to {@code leaseUntil} and records {@code message} as
     * {@link MessageStore#recordOutbound} does (the message an earlier attempt recorded for the job is returned
     * unchanged); when it does not, changes nothing. A worker that lost its lease therefore neither records nor
     * sends a reply the new holder will send.
     *
     * @param message the reply; its {@code replyJobId} must be {@code jobId}
     * @return the job's outbound message; empty when the worker no longer holds the job
     * @throws LeadNotFoundException for an unknown lead (nothing changes)
     */
    Optional<Message> recordReply(long jobId, String workerId, Instant leaseUntil, NewOutboundMessage message);

    /**
     * Records that the job's reply went out, in one transaction: stores what the provider answered as
     * {@link MessageStore#markSent} does, records {@code aiCall} when it is not null
     * ({@link UsageLedger#recordAiCall}), and completes the job when {@code workerId} still holds it. The message is
     * out either way, so its SID and the AI call are recorded also when the lease was lost.
     *
     * @return whether this call completed the job (false: the worker no longer held it)
     * @throws DuplicateTwilioSidException if another message already has that SID (nothing is changed)
     */
    boolean completeSent(long jobId, String workerId, long messageId, SendResult result, AiCall aiCall, Instant now);
}
