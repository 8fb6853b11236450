package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The usage totals of table {@code usage_buckets} (V9): what {@code GET /api/usage} counts, per UTC quarter-hour
 * ("bucket": epoch seconds / 900). Quarter-hours that ended at least 15 minutes before a reader's clock are filled
 * once from the messages and kept; later changes to what a message or AI call counts add their difference in the
 * writer's transaction ({@link #add}); the newest quarter-hours are counted live from the indexes. Static helpers on
 * the caller's {@link Handle}.
 *
 * <p>Why a reader cannot miss a change: {@link #fill} locks the fill row, then every existing bucket row of the range
 * ({@code FOR UPDATE}), and only then counts; a writer's {@link #add} updates or inserts the bucket row after its own
 * change, so it either committed before the count (and is in it), or waits on the locked row and adds its difference
 * to the filled total afterwards, or inserts a row the fill also inserts, and one of the two is re-run by {@link Tx}
 * on the unique key. Texts and messages are created at the writer's clock, so the only writes into a quarter-hour
 * that ended 15 minutes ago are the late ones that go through {@link #add}: an outbound message sent (its SID and
 * segments), an AI call recorded after the reply went out.
 */
public final class UsageBuckets {

    /** Seconds in a bucket: every time zone's offset and daylight-saving change today is a whole number of them. */
    public static final long SECONDS = 900;

    private UsageBuckets() {
    }

    /** The bucket holding {@code t}. */
    public static long bucketOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), SECONDS);
    }

    /** The start of bucket {@code b}. */
    public static Instant start(long b) {
        return Instant.ofEpochSecond(b * SECONDS);
    }

    /** Whether {@code t} is the start of a bucket. */
    public static boolean aligned(Instant t) {
        return t.getNano() == 0 && Math.floorMod(t.getEpochSecond(), SECONDS) == 0;
    }

    /** The buckets a reader at {@code now} may keep: those before this one ended at least 15 minutes ago. */
    public static long closedBefore(Instant now) {
        return bucketOf(now) - 1;
    }

    /** The counted columns, in {@link dev.frontdesk.sms.UsageCounts} order. */
    private static final String COLUMNS = "inbound, outbound, inbound_segments, outbound_segments, ai_calls, prompt_tokens,"
            + " completion_tokens";

    /**
     * What each bucket holds in {@code [from, to)}, counted from the rows: the same conditions as
     * {@code JdbcUsageLedger.counts}, on messages_created_idx and ai_calls_created_idx.
     */
    private static final String COUNTED = "SELECT x.bucket, SUM(x.inbound) AS inbound, SUM(x.outbound) AS outbound,"
            + " SUM(x.inbound_segments) AS inbound_segments, SUM(x.outbound_segments) AS outbound_segments,"
            + " SUM(x.ai_calls) AS ai_calls, SUM(x.prompt_tokens) AS prompt_tokens, SUM(x.completion_tokens) AS completion_tokens"
            + " FROM (SELECT CAST(FLOOR(EXTRACT(EPOCH FROM created_at) / 900) AS BIGINT) AS bucket,"
            + " CASE WHEN direction = 'inbound' THEN 1 ELSE 0 END AS inbound,"
            + " CASE WHEN direction = 'inbound' THEN 0 ELSE 1 END AS outbound,"
            + " CASE WHEN direction = 'inbound' THEN COALESCE(num_segments, 1) ELSE 0 END AS inbound_segments,"
            + " CASE WHEN direction = 'inbound' THEN 0 ELSE COALESCE(num_segments, 1) END AS outbound_segments,"
            + " 0 AS ai_calls, 0 AS prompt_tokens, 0 AS completion_tokens"
            + " FROM messages WHERE created_at >= :from AND created_at < :to AND (direction = 'inbound' OR twilio_sid IS NOT NULL)"
            + " UNION ALL SELECT CAST(FLOOR(EXTRACT(EPOCH FROM created_at) / 900) AS BIGINT), 0, 0, 0, 0, 1, prompt_tokens,"
            + " completion_tokens FROM ai_calls WHERE created_at >= :from AND created_at < :to) x GROUP BY x.bucket";

    /** The buckets of {@code [from, to)} counted from the messages and AI calls, by bucket. */
    public static NavigableMap<Long, long[]> counted(Handle h, Instant from, Instant to) {
        NavigableMap<Long, long[]> out = new TreeMap<>();
        h.createQuery(COUNTED).bind("from", ts(from)).bind("to", ts(to))
                .map((rs, ctx) -> out.put(rs.getLong("bucket"), values(rs)))
                .list();
        return out;
    }

    /** The buckets below this are complete; null when none is. */
    public static Long filledBefore(Handle h) {
        return h.createQuery("SELECT filled_before FROM usage_fill WHERE id = 1").mapTo(Long.class).findOne().orElse(null);
    }

    /**
     * Fills every bucket before {@code closedBefore} not filled yet, inside the caller's transaction (see the class
     * comment for why no concurrent change is lost).
     */
    public static void fill(Handle h, long closedBefore) {
        List<Long> row = h.createQuery("SELECT filled_before FROM usage_fill WHERE id = 1 FOR UPDATE")
                .map((rs, ctx) -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }).list();
        if (row.isEmpty()) { // a schema whose V9 ran without its row (never by the store's migration)
            h.createUpdate("INSERT INTO usage_fill (id, filled_before) VALUES (1, NULL)").execute();
            row = java.util.Collections.singletonList(null);
        }
        Long filled = row.get(0);
        if (filled != null && filled >= closedBefore) {
            return;
        }
        long from = filled == null ? 0 : filled;
        Set<Long> existing = new HashSet<>(h.createQuery("SELECT bucket FROM usage_buckets WHERE bucket >= :from AND bucket < :to"
                        + " FOR UPDATE")
                .bind("from", from).bind("to", closedBefore).mapTo(Long.class).list());
        Map<Long, long[]> counted = counted(h, start(from), start(closedBefore));
        if (!existing.isEmpty()) {
            PreparedBatch update = h.prepareBatch("UPDATE usage_buckets SET inbound = :v0, outbound = :v1, inbound_segments = :v2,"
                    + " outbound_segments = :v3, ai_calls = :v4, prompt_tokens = :v5, completion_tokens = :v6 WHERE bucket = :b");
            for (long b : existing) {
                bindValues(update, b, counted.getOrDefault(b, new long[7])).add();
            }
            update.execute();
        }
        PreparedBatch insert = h.prepareBatch(INSERT);
        int inserts = 0;
        for (Map.Entry<Long, long[]> e : counted.entrySet()) {
            if (!existing.contains(e.getKey())) {
                bindValues(insert, e.getKey(), e.getValue()).add();
                inserts++;
            }
        }
        if (inserts > 0) {
            insert.execute();
        }
        h.createUpdate("UPDATE usage_fill SET filled_before = :b WHERE id = 1").bind("b", closedBefore).execute();
    }

    private static final String INSERT = "INSERT INTO usage_buckets (bucket, " + COLUMNS + ") VALUES (:b, :v0, :v1, :v2, :v3, :v4,"
            + " :v5, :v6)";

    /** Binds {@code :b} to the bucket and {@code :v0}..{@code :v6} to the values. */
    private static <S extends SqlStatement<S>> S bindValues(S statement, long bucket, long[] v) {
        statement.bind("b", bucket);
        for (int i = 0; i < 7; i++) {
            statement.bind("v" + i, v[i]);
        }
        return statement;
    }

    private static long[] values(ResultSet rs) throws SQLException {
        return new long[] {rs.getLong("inbound"), rs.getLong("outbound"), rs.getLong("inbound_segments"),
                rs.getLong("outbound_segments"), rs.getLong("ai_calls"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens")};
    }

    /**
     * Adds a change of what is counted to the bucket of {@code createdAt}, in the caller's transaction: the values in
     * {@link dev.frontdesk.sms.UsageCounts} order. Nothing when all are zero. Two first changes of a bucket at once: the second insert
     * fails on usage_buckets_pk and {@link Tx} re-runs its transaction, which then updates.
     */
    public static void add(Handle h, Instant createdAt, long... delta) {
        boolean zero = true;
        for (long d : delta) {
            zero &= d == 0;
        }
        if (zero) {
            return;
        }
        long b = bucketOf(createdAt);
        int updated = bindValues(h.createUpdate("UPDATE usage_buckets SET inbound = inbound + :v0, outbound = outbound + :v1,"
                        + " inbound_segments = inbound_segments + :v2, outbound_segments = outbound_segments + :v3,"
                        + " ai_calls = ai_calls + :v4, prompt_tokens = prompt_tokens + :v5,"
                        + " completion_tokens = completion_tokens + :v6 WHERE bucket = :b"), b, delta).execute();
        if (updated == 0) {
            bindValues(h.createUpdate(INSERT), b, delta).execute();
        }
    }
}
