package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The reply queue in table {@code reply_jobs}. A claim locks the oldest due row with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} (PostgreSQL and H2 2.x both have it), so concurrent workers
 * pass over each other's rows instead of queueing behind them, and then takes it with an
 * {@code UPDATE} that repeats the "free" condition and must change exactly one row, so a claim can never
 * take a lease that another worker holds even if the lock were not honoured. Thread-safe.
 */
public final class JdbcReplyQueue implements ReplyQueue {

    private static final int MAX_CLAIM_ATTEMPTS = 10;

    private final Tx tx;

    public JdbcReplyQueue(Tx tx) {
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    @Override
    public Optional<ReplyJob> claim(String workerId, Duration lease, Instant now) {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(lease, "lease");
        Instant leaseUntil = Rows.stored(now.plus(lease));
        for (int attempt = 1; ; attempt++) {
            Optional<ReplyJob> claimed = tryClaim(workerId, leaseUntil, now);
            // null: the row was taken between our read and our update (only possible where the row lock
            // is not honoured); look again, there may be another due job.
            if (claimed != null || attempt == MAX_CLAIM_ATTEMPTS) {
                return claimed == null ? Optional.empty() : claimed;
            }
        }
    }

    private Optional<ReplyJob> tryClaim(String workerId, Instant leaseUntil, Instant now) {
        return tx.write(h -> {
            Optional<Long> id = h.createQuery("SELECT id FROM reply_jobs WHERE done = FALSE AND run_at <= :now"
                            + " AND (lease_owner IS NULL OR lease_until <= :now)"
                            + " ORDER BY id FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED")
                    .bind("now", ts(now))
                    .mapTo(Long.class)
                    .findOne();
            if (id.isEmpty()) {
                return Optional.<ReplyJob>empty();
            }
            int taken = h.createUpdate("UPDATE reply_jobs SET lease_owner = :owner, lease_until = :until,"
                            + " attempts = attempts + 1, updated_at = CURRENT_TIMESTAMP"
                            + " WHERE id = :id AND done = FALSE AND run_at <= :now"
                            + " AND (lease_owner IS NULL OR lease_until <= :now)")
                    .bind("owner", workerId)
                    .bind("until", ts(leaseUntil))
                    .bind("id", id.get())
                    .bind("now", ts(now))
                    .execute();
            if (taken != 1) {
                return null;
            }
            return h.createQuery("SELECT " + Rows.JOB_COLUMNS + " FROM reply_jobs WHERE id = :id")
                    .bind("id", id.get())
                    .map((rs, ctx) -> Rows.job(rs))
                    .findOne();
        });
    }

    @Override
    public boolean extendLease(long jobId, String workerId, Instant leaseUntil) {
        return tx.write(h -> h.createUpdate("UPDATE reply_jobs SET lease_until = :until, updated_at = CURRENT_TIMESTAMP"
                        + " WHERE id = :id AND done = FALSE AND lease_owner = :owner")
                .bind("until", ts(leaseUntil))
                .bind("id", jobId)
                .bind("owner", workerId)
                .execute() == 1);
    }

    @Override
    public boolean complete(long jobId, String workerId, Instant now) {
        return tx.write(h -> h.createUpdate("UPDATE reply_jobs SET done = TRUE, lease_owner = NULL, updated_at = :now"
                        + " WHERE id = :id AND done = FALSE AND lease_owner = :owner")
                .bind("now", ts(now))
                .bind("id", jobId)
                .bind("owner", workerId)
                .execute() == 1);
    }

    @Override
    public boolean retryLater(long jobId, String workerId, String lastError, Instant runAt) {
        String error = lastError == null || lastError.length() <= 1000 ? lastError : lastError.substring(0, 1000);
        return tx.write(h -> h.createUpdate("UPDATE reply_jobs SET lease_owner = NULL, lease_until = NULL, run_at = :runAt,"
                        + " last_error = :error, updated_at = CURRENT_TIMESTAMP"
                        + " WHERE id = :id AND done = FALSE AND lease_owner = :owner")
                .bind("runAt", ts(runAt))
                .bind("error", error)
                .bind("id", jobId)
                .bind("owner", workerId)
                .execute() == 1);
    }

    @Override
    public boolean laterJobPending(long jobId, long leadId) {
        return tx.read(h -> h.createQuery("SELECT COUNT(*) FROM reply_jobs WHERE lead_id = :lead AND done = FALSE AND id > :id")
                .bind("lead", leadId).bind("id", jobId).mapTo(Long.class).one() > 0);
    }

    @Override
    public long pendingCount() {
        return tx.read(h -> h.createQuery("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE").mapTo(Long.class).one());
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        return tx.read(h -> h.createQuery("SELECT MIN(CASE WHEN lease_owner IS NOT NULL AND lease_until > :now"
                        + " THEN lease_until ELSE run_at END) AS due FROM reply_jobs WHERE done = FALSE")
                .bind("now", ts(now))
                .map((rs, ctx) -> Optional.ofNullable(Rows.instant(rs, "due")))
                .one());
    }
}
