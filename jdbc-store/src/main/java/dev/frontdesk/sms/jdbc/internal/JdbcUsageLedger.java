package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.AutoReplyCounts;
import dev.frontdesk.sms.UsageCounts;
import dev.frontdesk.sms.UsageLedger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * AI calls in table {@code ai_calls} and the abuse caps' notes in {@code auto_replies}; staff messages are
 * counted from {@code messages}. Each change is one transaction. Thread-safe.
 */
public final class JdbcUsageLedger implements UsageLedger {

    private final Tx tx;

    public JdbcUsageLedger(Tx tx) {
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    @Override
    public void recordAiCall(AiCall call) {
        Objects.requireNonNull(call, "call");
        tx.write(h -> recordAiCall(h, call));
    }

    /** {@link #recordAiCall(AiCall)} on {@code h}, inside the caller's transaction; returns the rows written. */
    public static int recordAiCall(Handle h, AiCall call) {
        // recorded after the reply went out, maybe into a quarter-hour a reader has kept already
        UsageBuckets.add(h, Rows.stored(call.createdAt()), 0, 0, 0, 0, 1, call.promptTokens(), call.completionTokens());
        return h.createUpdate("INSERT INTO ai_calls (lead_id, reply_job_id, model, outcome, prompt_tokens,"
                        + " completion_tokens, latency_ms, created_at) VALUES (:lead, :job, :model, :outcome, :pt, :ct, :ms, :at)")
                .bind("lead", call.leadId()).bind("job", call.replyJobId()).bind("model", call.model())
                .bind("outcome", call.outcome()).bind("pt", call.promptTokens()).bind("ct", call.completionTokens())
                .bind("ms", call.latencyMillis()).bind("at", ts(call.createdAt())).execute();
    }

    @Override
    public UsageCounts counts(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return tx.read(h -> {
            long[] counts = new long[7];
            h.createQuery("SELECT direction, COUNT(*) AS n, SUM(COALESCE(num_segments, 1)) AS seg FROM messages"
                            + " WHERE created_at >= :from AND created_at < :to AND (direction = 'inbound' OR twilio_sid IS NOT NULL)"
                            + " GROUP BY direction")
                    .bind("from", ts(UsageSpans.bound(from))).bind("to", ts(UsageSpans.bound(to)))
                    .map((rs, ctx) -> {
                        int i = "inbound".equals(rs.getString("direction")) ? 0 : 1;
                        counts[i] = rs.getLong("n");
                        counts[i + 2] = rs.getLong("seg");
                        return i;
                    }).list();
            h.createQuery("SELECT COUNT(*) AS n, COALESCE(SUM(prompt_tokens), 0) AS pt, COALESCE(SUM(completion_tokens), 0) AS ct"
                            + " FROM ai_calls WHERE created_at >= :from AND created_at < :to")
                    .bind("from", ts(UsageSpans.bound(from))).bind("to", ts(UsageSpans.bound(to)))
                    .map((rs, ctx) -> {
                        counts[4] = rs.getLong("n");
                        counts[5] = rs.getLong("pt");
                        counts[6] = rs.getLong("ct");
                        return 0;
                    }).list();
            return new UsageCounts(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6]);
        });
    }

    /**
     * Each span's whole quarter-hours that ended at least 15 minutes before {@code now} from {@code usage_buckets}, the
     * rest (the partial quarter-hours at either end of a span, the newest ones) counted live, all in one statement
     * ({@link UsageSpans}); at most once per quarter-hour first a fill of the ones that ended.
     */
    @Override
    public List<UsageCounts> countsBetween(List<Instant> boundaries, Instant now) {
        Objects.requireNonNull(now, "now");
        UsageLedger.checkAscending(boundaries);
        if (boundaries.size() < 2) {
            return List.of();
        }
        UsageSpans plan = UsageSpans.of(boundaries, now);
        List<UsageCounts> spans = tx.read(h -> plan.keeps() && !filled(h, plan.keptTo()) ? null : plan.read(h));
        if (spans == null) { // at most once a quarter-hour: fill the quarter-hours that ended, then read
            tx.write(h -> {
                UsageBuckets.fill(h, UsageBuckets.closedBefore(now));
                return null;
            });
            spans = tx.read(plan::read);
        }
        return spans;
    }

    private static boolean filled(Handle h, long keptTo) {
        Long filled = UsageBuckets.filledBefore(h);
        return filled != null && filled >= keptTo;
    }

    @Override
    public boolean recordAutoReply(long replyJobId, long leadId, boolean aiCall, Instant at) {
        Objects.requireNonNull(at, "at");
        // Two instances noting the same job at once: the second fails on auto_replies_reply_job_uq, and its
        // re-run finds the first one's note here.
        return tx.write(h -> {
            if (autoReplyAiCall(h, replyJobId).isPresent()) {
                return false;
            }
            h.createUpdate("INSERT INTO auto_replies (reply_job_id, lead_id, ai_call, created_at) VALUES (:job, :lead, :ai, :at)")
                    .bind("job", replyJobId).bind("lead", leadId).bind("ai", aiCall).bind("at", ts(at)).execute();
            return true;
        });
    }

    @Override
    public Optional<Boolean> autoReplyAiCall(long replyJobId) {
        return tx.read(h -> autoReplyAiCall(h, replyJobId));
    }

    /** {@link #autoReplyAiCall(long)} read on {@code h}. */
    public static Optional<Boolean> autoReplyAiCall(Handle h, long replyJobId) {
        return h.createQuery("SELECT ai_call FROM auto_replies WHERE reply_job_id = :job")
                .bind("job", replyJobId).mapTo(Boolean.class).findOne();
    }

    @Override
    public long countAutoReplies(Long leadId, boolean aiCallsOnly, Instant since) {
        Objects.requireNonNull(since, "since");
        String sql = "SELECT COUNT(*) FROM auto_replies WHERE created_at >= :since"
                + (leadId != null ? " AND lead_id = :lead" : "")
                + (aiCallsOnly ? " AND ai_call = TRUE" : "");
        return tx.read(h -> {
            var q = h.createQuery(sql).bind("since", ts(since));
            if (leadId != null) {
                q.bind("lead", leadId.longValue());
            }
            return q.mapTo(Long.class).one();
        });
    }

    /**
     * The three counts the abuse caps read at a claim, in one statement over the window: the lead's automatic replies,
     * everyone's, and everyone's that were for an AI call.
     */
    public static AutoReplyCounts autoReplyCounts(Handle h, long leadId, Instant since) {
        return h.createQuery("SELECT COUNT(CASE WHEN lead_id = :lead THEN 1 END) AS lead_count, COUNT(*) AS all_count,"
                        + " COUNT(CASE WHEN ai_call = TRUE THEN 1 END) AS ai_count FROM auto_replies WHERE created_at >= :since")
                .bind("lead", leadId).bind("since", ts(since))
                .map((rs, ctx) -> new AutoReplyCounts(rs.getLong("lead_count"), rs.getLong("all_count"), rs.getLong("ai_count")))
                .one();
    }

    @Override
    public long countStaffMessages(Instant since) {
        Objects.requireNonNull(since, "since");
        return tx.read(h -> h.createQuery("SELECT COUNT(*) FROM messages WHERE created_at >= :since"
                        + " AND direction = 'outbound' AND reply_job_id IS NULL")
                .bind("since", ts(since)).mapTo(Long.class).one());
    }
}
