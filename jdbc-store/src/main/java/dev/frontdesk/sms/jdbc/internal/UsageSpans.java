package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.UsageCounts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * How {@code JdbcUsageLedger.countsBetween} reads a list of spans: each span's whole quarter-hours that a reader at
 * {@code now} may keep ({@link UsageBuckets#closedBefore}) are summed from {@code usage_buckets}; the rest of the span
 * (the part of a quarter-hour its start or end falls inside, and the newest quarter-hours) is counted live from
 * messages_created_idx and ai_calls_created_idx. All of it in one statement, summed per span in the database. Pure
 * plan, plus {@link #read} on the caller's handle.
 */
final class UsageSpans {

    /** One piece of a span: kept buckets {@code [fromBucket, toBucket)}, or rows created in {@code [from, to)}. */
    private record Piece(int span, long fromBucket, long toBucket, Instant from, Instant to) {
        boolean kept() {
            return from == null;
        }
    }

    private final int spans;
    private final List<Piece> pieces;
    private final long keptTo;

    private UsageSpans(int spans, List<Piece> pieces, long keptTo) {
        this.spans = spans;
        this.pieces = pieces;
        this.keptTo = keptTo;
    }

    /** The plan for {@code boundaries} (ascending, at least two) read at {@code now}. */
    static UsageSpans of(List<Instant> boundaries, Instant now) {
        Instant first = boundaries.get(0);
        Instant last = boundaries.get(boundaries.size() - 1);
        // whole quarter-hours in [first, last) that may be kept: from the first one starting at or after first,
        // to the one holding last, and none that closed less than 15 minutes ago (nor before 1970: never filled)
        long lo = Math.max(0, firstBucketFrom(first));
        long hi = Math.max(lo, Math.min(UsageBuckets.closedBefore(now), UsageBuckets.bucketOf(last)));
        List<Piece> pieces = new ArrayList<>();
        long keptTo = lo;
        for (int i = 0; i + 1 < boundaries.size(); i++) {
            Instant from = boundaries.get(i);
            Instant to = boundaries.get(i + 1);
            long ka = Math.max(firstBucketFrom(from), lo);
            long kb = Math.min(UsageBuckets.bucketOf(to), hi);
            if (ka < kb) {
                pieces.add(new Piece(i, ka, kb, null, null));
                keptTo = Math.max(keptTo, kb);
                live(pieces, i, from, UsageBuckets.start(ka));
                live(pieces, i, UsageBuckets.start(kb), to);
            } else {
                live(pieces, i, from, to);
            }
        }
        return new UsageSpans(boundaries.size() - 1, pieces, keptTo);
    }

    private static void live(List<Piece> pieces, int span, Instant from, Instant to) {
        if (from.isBefore(to)) {
            pieces.add(new Piece(span, 0, 0, from, to));
        }
    }

    /** The first bucket starting at or after {@code t}. */
    private static long firstBucketFrom(Instant t) {
        return UsageBuckets.aligned(t) ? UsageBuckets.bucketOf(t) : UsageBuckets.bucketOf(t) + 1;
    }

    /** Kept buckets are read below this; the fill mark must be at least this (nothing kept: no need). */
    long keptTo() {
        return keptTo;
    }

    /** Whether any piece reads kept buckets. */
    boolean keeps() {
        return pieces.stream().anyMatch(Piece::kept);
    }

    /** The spans, read in one statement on {@code h}: the kept sums and the live counts, per span. */
    List<UsageCounts> read(Handle h) {
        long[][] sums = new long[spans][7];
        if (!pieces.isEmpty()) {
            query(h, "").map((rs, ctx) -> {
                long[] s = sums[rs.getInt(1)];
                for (int c = 0; c < 7; c++) {
                    s[c] += rs.getLong(c + 2); // a SUM over no rows is NULL: 0
                }
                return null;
            }).list();
        }
        List<UsageCounts> out = new ArrayList<>(spans);
        for (long[] s : sums) {
            out.add(new UsageCounts(s[0], s[1], s[2], s[3], s[4], s[5], s[6]));
        }
        return out;
    }

    /** The statement {@link #read} runs (at least one piece), with {@code prefix} (such as {@code EXPLAIN}) before it. */
    Query query(Handle h, String prefix) {
        StringBuilder sql = new StringBuilder(prefix);
        for (int p = 0; p < pieces.size(); p++) {
            Piece piece = pieces.get(p);
            if (p > 0) {
                sql.append(" UNION ALL ");
            }
            if (piece.kept()) {
                sql.append("SELECT ").append(piece.span()).append(" AS span, SUM(inbound) AS inbound, SUM(outbound) AS outbound,"
                        + " SUM(inbound_segments) AS inbound_segments, SUM(outbound_segments) AS outbound_segments,"
                        + " SUM(ai_calls) AS ai_calls, SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens"
                        + " FROM usage_buckets WHERE bucket >= :f").append(p).append(" AND bucket < :t").append(p);
            } else {
                sql.append("SELECT ").append(piece.span()).append(", SUM(CASE WHEN direction = 'inbound' THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN direction = 'inbound' THEN 0 ELSE 1 END),"
                        + " SUM(CASE WHEN direction = 'inbound' THEN COALESCE(num_segments, 1) ELSE 0 END),"
                        + " SUM(CASE WHEN direction = 'inbound' THEN 0 ELSE COALESCE(num_segments, 1) END), 0, 0, 0"
                        + " FROM messages WHERE created_at >= :f").append(p).append(" AND created_at < :t").append(p)
                        .append(" AND (direction = 'inbound' OR twilio_sid IS NOT NULL)");
                sql.append(" UNION ALL SELECT ").append(piece.span()).append(", 0, 0, 0, 0, COUNT(*), SUM(prompt_tokens),"
                        + " SUM(completion_tokens) FROM ai_calls WHERE created_at >= :f").append(p).append(" AND created_at < :t")
                        .append(p);
            }
        }
        Query q = h.createQuery(sql.toString());
        for (int p = 0; p < pieces.size(); p++) {
            Piece piece = pieces.get(p);
            if (piece.kept()) {
                q.bind("f" + p, piece.fromBucket()).bind("t" + p, piece.toBucket());
            } else {
                q.bind("f" + p, ts(bound(piece.from()))).bind("t" + p, ts(bound(piece.to())));
            }
        }
        return q;
    }

    /**
     * A boundary as the database compares it: rows are kept to the microsecond, so {@code created_at >= t} and
     * {@code created_at < t} hold exactly when they hold against {@code t} rounded up to the microsecond (binding
     * truncates, which would move a boundary with nanoseconds back over a row on the microsecond before it).
     */
    static Instant bound(Instant t) {
        Instant micros = t.truncatedTo(ChronoUnit.MICROS);
        return micros.equals(t) ? t : micros.plus(1, ChronoUnit.MICROS);
    }
}
