package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.OwnerAlert;
import dev.frontdesk.sms.OwnerAlerts;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.RecordedReply;
import dev.frontdesk.sms.ReplyClaim;
import dev.frontdesk.sms.ReplyContext;
import dev.frontdesk.sms.ReplyFindings;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * The reply queue in table {@code reply_jobs}. On PostgreSQL a claim locks the oldest due row with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED}, so concurrent workers pass over each other's rows instead of
 * queueing behind them; elsewhere (H2) it reads the first few due rows without a lock. Either way it then
 * takes the row with an
 * {@code UPDATE} that repeats the "free" condition and must change exactly one row, so a claim can never
 * take a lease that another worker holds even if the lock were not honoured. Thread-safe.
 */
public final class JdbcReplyQueue implements ReplyQueue {

    private static final int MAX_CLAIM_ATTEMPTS = 10;
    /** Rows one claim looks at where the database cannot skip locked rows; more than concurrent claimers is rare. */
    private static final int CANDIDATES = 4;

    private final Tx tx;
    /** Announcements between processes (PostgreSQL), or null when the store has no listening connection. */
    private final PgJobAnnouncements announcements;
    private final ChangeAnnouncements changes;

    /** Where a sent reply and a lead the reply qualified are recorded as events. */
    private final JdbcEventOutbox events;
    /** Where what a recorded reply learned (a handoff, an emergency, a lead qualified) is recorded for the owner. */
    private final JdbcOwnerAlerts alerts;

    /**
     * @param announcements PostgreSQL job announcements, or null for none
     * @param events        the outbox the queue's transactions write events to
     * @param alerts        the owner alerts the queue's transactions write
     */
    public JdbcReplyQueue(Tx tx, PgJobAnnouncements announcements, JdbcEventOutbox events, JdbcOwnerAlerts alerts) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.announcements = announcements;
        this.changes = new ChangeAnnouncements(this::announcements);
        this.events = Objects.requireNonNull(events, "events");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    /** Announcements to send on this store's writes: only on PostgreSQL, and only when configured. */
    public PgJobAnnouncements announcements() {
        if (announcements == null) {
            return null;
        }
        try {
            return tx.dialect() == Tx.Dialect.POSTGRES ? announcements : null;
        } catch (RuntimeException e) {
            return announcements; // the database is down: the host configured PostgreSQL's listener, so trust it
        }
    }

    /** On PostgreSQL with a listening connection: jobs from other processes wake {@code wake}, with when they are due. */
    @Override
    public Optional<AutoCloseable> onJobReady(Consumer<Instant> wake) {
        PgJobAnnouncements a = announcements();
        return a == null ? Optional.empty() : Optional.of(a.listen(wake));
    }

    @Override
    public ReplyClaim claimNext(String workerId, Duration lease, Instant now, int historyLimit, Instant autoRepliesSince) {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(autoRepliesSince, "autoRepliesSince");
        if (historyLimit < 0) {
            throw new IllegalArgumentException("historyLimit must not be negative, was " + historyLimit);
        }
        Instant leaseUntil = Rows.stored(now.plus(lease));
        Tx.Dialect dialect = tx.dialect(); // read before the transaction: the first read takes a connection of its own
        boolean skipLocked = dialect == Tx.Dialect.POSTGRES;
        for (int attempt = 1; ; attempt++) {
            // One transaction, so one commit however many statements: the claim and everything the job needs
            // (lead, the number the customer texted, an earlier reply, history, the cap note and counts, the
            // first unanswered text, a later job), or, when nothing is due, when the next job will be.
            ReplyClaim claim = tx.write(h -> {
                Optional<ReplyJob> job = tryClaim(h, skipLocked, workerId, leaseUntil, now);
                if (job == null) {
                    return null;
                }
                return job.isEmpty() ? ReplyClaim.nothingDue(nextDueAt(h, now))
                        : ReplyClaim.of(context(h, dialect, job.get(), historyLimit, autoRepliesSince));
            });
            // null: the row was taken between our read and our update (only possible where the row lock
            // is not honoured); look again, there may be another due job.
            if (claim != null) {
                return claim;
            }
            if (attempt == MAX_CLAIM_ATTEMPTS) {
                return ReplyClaim.nothingDue(Optional.of(now));
            }
        }
    }

    private static ReplyContext context(Handle h, Tx.Dialect dialect, ReplyJob job, int historyLimit, Instant since) {
        return new ReplyContext(job,
                JdbcLeadStore.lead(h, job.leadId()).orElse(null),
                // the number texted, or for a job that answers no text (a missed call) the number called
                h.createQuery("SELECT COALESCE(m.to_number, j.called_number) FROM reply_jobs j"
                                + " LEFT JOIN messages m ON m.id = j.inbound_message_id WHERE j.id = :id").bind("id", job.id())
                        .mapTo(String.class).findOne().orElse(null),
                JdbcMessageStore.replyForJob(h, job.id()).orElse(null),
                historyLimit == 0 ? List.of() : JdbcMessageStore.history(h, dialect, job.leadId(), historyLimit),
                JdbcUsageLedger.autoReplyAiCall(h, job.id()).orElse(null),
                JdbcMessageStore.firstUnansweredAt(h, dialect, job.leadId()).orElse(null),
                // A follow-up waiting is no later text: it must not fold the customer's text into itself.
                h.createQuery(LATER_JOB_WAITING).bind("lead", job.leadId()).bind("id", job.id()).mapTo(Boolean.class).one(),
                JdbcUsageLedger.autoReplyCounts(h, job.leadId(), since));
    }

    /**
     * Whether a later job of the lead waits (a text that came after the claimed job's), but a follow-up, which is no
     * later text and must not fold the customer's text into itself. EXISTS, so a lead with hundreds of texts queued
     * costs the claim the first of them, not a count of all.
     */
    static final String LATER_JOB_WAITING = "SELECT EXISTS (SELECT 1 FROM reply_jobs WHERE lead_id = :lead AND done = FALSE"
            + " AND id > :id AND kind <> '" + FollowUpJobs.KIND + "')";

    /** Due and free, in the order of index {@code reply_jobs_due_idx}, so a claim reads the first rows only. */
    static final String DUE = "SELECT id, run_at FROM reply_jobs WHERE done = FALSE AND run_at <= :now"
            + " AND (lease_owner IS NULL OR lease_until <= :now) ORDER BY done, run_at, id";

    /** PostgreSQL: lock the first due row no other claim holds, skipping rows other claims have locked. */
    static final String DUE_LOCKED = DUE + " FETCH FIRST 1 ROWS ONLY";

    /**
     * Other databases (H2): read the first few due rows without a lock. H2 applies {@code FOR UPDATE} to every
     * row the query matches before it cuts to the first, so {@code DUE_LOCKED} would lock the whole queue and
     * cost time in proportion to its length; here the guarded {@code UPDATE} takes the row lock instead.
     */
    static final String DUE_CANDIDATES = DUE + " FETCH FIRST " + CANDIDATES + " ROWS ONLY";

    /** The earliest free job, due or not (index {@code reply_jobs_due_idx}). */
    static final String NEXT_FREE = "SELECT run_at FROM reply_jobs WHERE done = FALSE"
            + " AND (lease_owner IS NULL OR lease_until <= :now) ORDER BY done, run_at, id FETCH FIRST 1 ROWS ONLY";

    /**
     * The earliest lease still running. A held job was claimed when due and keeps its run_at while held, so only
     * rows due by now are read (along {@code reply_jobs_due_idx}), not the follow-ups waiting for their hour; a worker
     * asks only when it found nothing to claim, and then those rows are the few that workers hold. An index of its
     * own would cost every webhook one more index entry.
     */
    static final String NEXT_LEASE = "SELECT MIN(lease_until) AS lease_until FROM reply_jobs WHERE done = FALSE"
            + " AND run_at <= :now AND lease_until > :now AND lease_owner IS NOT NULL";

    /**
     * Takes a candidate the claim read, if it is still due and free. The candidate's run_at is matched too: a job
     * moved in the meantime (a retry, a postponement) is no longer the row that was read, and with it the statement
     * is one point of {@code reply_jobs_due_idx} (done, run_at, id) as much as of the primary key. With {@code
     * run_at <= :now} instead, H2's planner took that index's range and read every due job for the one id, so each
     * claim behind a backlog read the whole backlog.
     */
    static final String TAKE = "UPDATE reply_jobs SET lease_owner = :owner, lease_until = :until,"
            + " attempts = attempts + 1, updated_at = CURRENT_TIMESTAMP"
            + " WHERE id = :id AND done = FALSE AND run_at = :runAt AND run_at <= :now"
            + " AND (lease_owner IS NULL OR lease_until <= :now)";

    /** A due, free job a claim read: its id and when it is due. */
    private record Candidate(long id, Instant runAt) {
    }

    /** The claimed job, empty when nothing is due, null when another claim took the candidates first. */
    private static Optional<ReplyJob> tryClaim(Handle h, boolean skipLocked, String workerId, Instant leaseUntil, Instant now) {
        List<Candidate> candidates = h.createQuery(skipLocked ? DUE_LOCKED : DUE_CANDIDATES)
                .bind("now", ts(now))
                .map((rs, ctx) -> new Candidate(rs.getLong("id"), Rows.instant(rs, "run_at")))
                .list();
        if (candidates.isEmpty()) {
            return Optional.<ReplyJob>empty();
        }
        for (Candidate candidate : candidates) {
            // Repeats the "free" condition: where another claim took the row first (after waiting for its
            // lock where the database has no SKIP LOCKED), nothing changes and the next candidate is tried.
            int taken = h.createUpdate(TAKE)
                    .bind("owner", workerId)
                    .bind("until", ts(leaseUntil))
                    .bind("id", candidate.id())
                    .bind("runAt", ts(candidate.runAt()))
                    .bind("now", ts(now))
                    .execute();
            if (taken == 1) {
                return h.createQuery("SELECT " + Rows.JOB_COLUMNS + " FROM reply_jobs WHERE id = :id")
                        .bind("id", candidate.id())
                        .map((rs, ctx) -> Rows.job(rs))
                        .findOne();
            }
        }
        return null;
    }

    @Override
    public boolean extendLease(long jobId, String workerId, Instant leaseUntil) {
        return tx.write(h -> extendLease(h, jobId, workerId, leaseUntil));
    }

    private static boolean extendLease(Handle h, long jobId, String workerId, Instant leaseUntil) {
        return h.createUpdate("UPDATE reply_jobs SET lease_until = :until, updated_at = CURRENT_TIMESTAMP"
                        + " WHERE id = :id AND done = FALSE AND lease_owner = :owner")
                .bind("until", ts(leaseUntil))
                .bind("id", jobId)
                .bind("owner", workerId)
                .execute() == 1;
    }

    @Override
    public boolean complete(long jobId, String workerId, Instant now) {
        return tx.write(h -> complete(h, jobId, workerId, now));
    }

    private static boolean complete(Handle h, long jobId, String workerId, Instant now) {
        return h.createUpdate("UPDATE reply_jobs SET done = TRUE, lease_owner = NULL, updated_at = :now"
                        + " WHERE id = :id AND done = FALSE AND lease_owner = :owner")
                .bind("now", ts(now))
                .bind("id", jobId)
                .bind("owner", workerId)
                .execute() == 1;
    }

    @Override
    public boolean retryLater(long jobId, String workerId, String lastError, Instant runAt) {
        String error = lastError == null || lastError.length() <= 1000 ? lastError : lastError.substring(0, 1000);
        PgJobAnnouncements announce = announcements();
        return tx.write(h -> {
            boolean released = h.createUpdate("UPDATE reply_jobs SET lease_owner = NULL, lease_until = NULL, run_at = :runAt,"
                            + " last_error = :error, updated_at = CURRENT_TIMESTAMP"
                            + " WHERE id = :id AND done = FALSE AND lease_owner = :owner")
                    .bind("runAt", ts(runAt))
                    .bind("error", error)
                    .bind("id", jobId)
                    .bind("owner", workerId)
                    .execute() == 1;
            if (released && announce != null) {
                announce.announce(h, runAt); // delivered on commit: other instances claim it when it is due
            }
            return released;
        });
    }

    @Override
    public boolean postpone(long jobId, String workerId, Instant runAt) {
        return tx.write(h -> h.createUpdate("UPDATE reply_jobs SET lease_owner = NULL, lease_until = NULL, run_at = :runAt,"
                        + " attempts = attempts - 1, updated_at = CURRENT_TIMESTAMP"
                        + " WHERE id = :id AND done = FALSE AND lease_owner = :owner")
                .bind("runAt", ts(runAt))
                .bind("id", jobId)
                .bind("owner", workerId)
                .execute() == 1);
    }

    @Override
    public long pendingCount() {
        return tx.read(h -> h.createQuery("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE").mapTo(Long.class).one());
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        return tx.read(h -> nextDueAt(h, now));
    }

    /** The earliest free job's run_at along reply_jobs_due_idx, and the earliest lease still running. */
    private static Optional<Instant> nextDueAt(Handle h, Instant now) {
        Optional<Instant> free = h.createQuery(NEXT_FREE)
                .bind("now", ts(now))
                .map((rs, ctx) -> Rows.instant(rs, "run_at"))
                .findOne();
        Optional<Instant> leased = h.createQuery(NEXT_LEASE)
                .bind("now", ts(now))
                .map((rs, ctx) -> Optional.ofNullable(Rows.instant(rs, "lease_until")))
                .one();
        if (free.isEmpty() || leased.isEmpty()) {
            return free.isPresent() ? free : leased;
        }
        return Optional.of(free.get().isBefore(leased.get()) ? free.get() : leased.get());
    }

    // ------------------------------------------------------------------ one transaction per step of a reply

    @Override
    public RecordedReply recordReply(long jobId, String workerId, Instant leaseUntil, NewOutboundMessage message,
            ReplyFindings findings) {
        Objects.requireNonNull(message, "message");
        Map<Qualification.Field, String> learned = findings == null ? Map.of() : findings.qualification();
        if (message.replyJobId() == null || message.replyJobId() != jobId) {
            throw new IllegalArgumentException("The reply's replyJobId (" + message.replyJobId() + ") must be job " + jobId + ".");
        }
        // The lease update locks the job's row until commit: no other worker can take the job in between; the
        // lead's row is locked too (FOR UPDATE), so a staff takeover commits either before (and is seen) or after.
        return tx.write(h -> {
            if (!extendLease(h, jobId, workerId, leaseUntil)) {
                return RecordedReply.leaseLost();
            }
            Lead lead = JdbcLeadStore.lockLead(h, message.leadId());
            if (!learned.isEmpty()) {
                Qualification before = lead.qualification();
                lead = changes.lead(h, JdbcLeadStore.updateQualification(h, message.leadId(), learned, false));
                if (!before.fullyQualified() && lead.qualification().fullyQualified()) {
                    events.write(h, EventType.LEAD_QUALIFIED, lead.id(), null, message.createdAt());
                }
                alerts.write(h, lead.id(), OwnerAlerts.reasons(before, lead.qualification(), learned, false), message.createdAt());
            }
            if (!lead.aiActive(message.createdAt()) || FollowUpJobs.customerWroteSince(h, jobId)) {
                changes.lead(h, lead);
                complete(h, jobId, workerId, message.createdAt());
                return RecordedReply.staffTookOver();
            }
            boolean firstRecord = JdbcMessageStore.replyForJob(h, jobId).isEmpty();
            Message recorded = changes.message(h, JdbcMessageStore.recordOutbound(h, message));
            if (firstRecord && findings != null && findings.handoffRequested()) {
                events.write(h, EventType.HANDOFF_REQUESTED, lead.id(), null, message.createdAt());
                alerts.write(h, lead.id(), Set.of(OwnerAlert.Reason.HANDOFF), message.createdAt());
            }
            return RecordedReply.recorded(recorded);
        });
    }

    /** The lead's waiting jobs of texts up to {@code :through}: the ones a reply sent to the lead answered. */
    private static final String ANSWERED = "lead_id = (SELECT lead_id FROM reply_jobs WHERE id = :id) AND done = FALSE"
            + " AND inbound_message_id <= :through";

    /**
     * Marks the jobs a sent reply answered done. On H2 the rows are found in a subquery naming {@code
     * reply_jobs_lead_idx} (lead_id, done, ...): its planner takes the index of the lead's foreign key (lead_id alone),
     * which reads every job the lead ever had, and an UPDATE takes no index hint in H2 (as {@link FollowUpJobs}).
     */
    static String answeredSql(Tx.Dialect dialect) {
        String set = "UPDATE reply_jobs SET done = TRUE, lease_owner = NULL, updated_at = :now WHERE ";
        return dialect == Tx.Dialect.H2
                ? set + "id IN (SELECT id FROM reply_jobs USE INDEX (reply_jobs_lead_idx) WHERE " + ANSWERED + ")"
                : set + ANSWERED;
    }

    @Override
    public boolean completeSent(long jobId, String workerId, long messageId, SendResult result, AiCall aiCall,
            long answeredThroughMessageId, Instant now, Instant followUpAt) {
        Objects.requireNonNull(result, "result");
        Tx.Dialect dialect = tx.dialect(); // read before the transaction: the first read takes a connection of its own
        return tx.write(h -> {
            changes.message(h, JdbcMessageStore.markSent(h, messageId, result, now, events)); // a duplicate SID rolls all back
            if (aiCall != null) {
                JdbcUsageLedger.recordAiCall(h, aiCall);
            }
            boolean completed = complete(h, jobId, workerId, now);
            if (completed && answeredThroughMessageId > 0) {
                // Texts of the same burst that the reply was written after: it answered them too.
                h.createUpdate(answeredSql(dialect))
                        .bind("now", ts(now)).bind("id", jobId).bind("through", answeredThroughMessageId).execute();
            }
            if (followUpAt != null) { // also when the lease was lost: the text is out
                FollowUpJobs.schedule(h, dialect, h.createQuery("SELECT lead_id FROM messages WHERE id = :id").bind("id", messageId)
                        .mapTo(Long.class).one(), followUpAt, now);
            }
            return completed;
        });
    }
}
