package dev.frontdesk.sms.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.jdbc.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queue's reads must not grow with its length: a claim and {@code nextDueAt}'s look for the next free job
 * read along an index and stop at the first rows, whether 10 or 20,000 jobs wait. Checked through the databases' own plans (H2's
 * {@code scanCount}, PostgreSQL's row counts per plan node), not by timing. With the earlier claim
 * ({@code ORDER BY id ... FOR UPDATE SKIP LOCKED}) H2 read, and locked, every due row.
 */
class QueueScaleTest {

    private static final int QUEUED = 20_000;
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void h2ClaimReadsAHandfulOfRowsHoweverLongTheQueue() throws Exception {
        try (TestDatabase db = TestDatabase.h2Memory()) {
            JdbcLeadRepository.create(db.dataSource());
            fill(db);
            for (String sql : List.of(JdbcReplyQueue.DUE_CANDIDATES, JdbcReplyQueue.NEXT_FREE)) {
                String plan = explain(db, "EXPLAIN ANALYZE " + sql.replace(":now", "?"));
                assertThat(scanCounts(plan)).as(plan).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(10));
            }
            assertClaimsTheOldestDueJob(db);
        }
    }

    @Test
    void postgresClaimStopsAtTheFirstFreeRow() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            JdbcLeadRepository.create(db.dataSource());
            fill(db);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("ANALYZE reply_jobs");
            }
            for (String sql : List.of(JdbcReplyQueue.DUE_LOCKED, JdbcReplyQueue.NEXT_FREE)) {
                String plan = explain(db, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql.replace(":now", "?"));
                assertThat(plan).as(plan).doesNotContain("Sort").doesNotContain("Seq Scan");
                assertThat(actualRows(plan)).as(plan).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(10));
            }
            assertClaimsTheOldestDueJob(db);
        }
    }

    /** One lead, one message per job; every job due (run_at in the past), a few of them leased. */
    private static void fill(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            long lead;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leads (phone_number, source, created_at, sms_enabled,"
                    + " sms_opt_out) VALUES ('+15550001111', 'sms', ?, TRUE, FALSE)", new String[] {"id"})) {
                ps.setTimestamp(1, Timestamp.from(NOW));
                ps.executeUpdate();
                lead = generatedId(ps);
            }
            try (PreparedStatement msg = c.prepareStatement("INSERT INTO messages (lead_id, twilio_sid, direction, from_number,"
                    + " to_number, body, status, created_at) VALUES (?, ?, 'inbound', '+15550001111', '+15550002222', 'hi',"
                    + " 'received', ?)", new String[] {"id"});
                 PreparedStatement job = c.prepareStatement("INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts,"
                         + " run_at, created_at, updated_at, lease_owner, lease_until) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < QUEUED; i++) {
                    Timestamp at = Timestamp.from(NOW.minusSeconds(QUEUED - i));
                    msg.setLong(1, lead);
                    msg.setString(2, "SMscale" + i);
                    msg.setTimestamp(3, at);
                    msg.executeUpdate();
                    job.setLong(1, lead);
                    job.setLong(2, generatedId(msg));
                    job.setBoolean(3, i % 2 == 1); // half of them done long ago, as in a queue that has run for a while
                    job.setTimestamp(4, at);
                    job.setTimestamp(5, at);
                    job.setTimestamp(6, at);
                    boolean leased = i < 6; // the oldest few are held by workers
                    job.setString(7, leased ? "worker-" + i : null);
                    job.setTimestamp(8, leased ? Timestamp.from(NOW.plusSeconds(30 + i)) : null);
                    job.executeUpdate();
                }
            }
            c.commit();
        }
    }

    private static void assertClaimsTheOldestDueJob(TestDatabase db) {
        JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
        // jobs 0..5 are leased, odd ones done: the oldest free due job is number 6, then 8
        ReplyJob first = repo.replyQueue().claim("worker-x", Duration.ofSeconds(30), NOW).orElseThrow();
        ReplyJob second = repo.replyQueue().claim("worker-y", Duration.ofSeconds(30), NOW).orElseThrow();
        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(first.leaseOwner()).isEqualTo("worker-x");
        assertThat(repo.replyQueue().nextDueAt(NOW)).contains(NOW.minusSeconds(QUEUED - 10));
    }

    private static String explain(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false); // EXPLAIN ANALYZE of FOR UPDATE takes locks; roll them back
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int params = (int) sql.chars().filter(ch -> ch == '?').count();
                for (int i = 1; i <= params; i++) {
                    ps.setTimestamp(i, Timestamp.from(NOW));
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                c.rollback();
            }
        }
    }

    private static List<Long> scanCounts(String h2Plan) {
        return numbersAfter(h2Plan, "scanCount: ");
    }

    private static List<Long> actualRows(String pgPlan) {
        return numbersAfter(pgPlan, "rows=");
    }

    private static List<Long> numbersAfter(String text, String marker) {
        List<Long> found = new ArrayList<>();
        var m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(marker) + "(\\d+)").matcher(text);
        while (m.find()) {
            found.add(Long.parseLong(m.group(1)));
        }
        assertThat(found).as("no %s in plan:%n%s", marker, text).isNotEmpty();
        return found;
    }

    private static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }
}
