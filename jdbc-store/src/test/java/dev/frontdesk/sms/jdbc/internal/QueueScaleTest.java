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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The queue's reads must not grow with its length: a claim and {@code nextDueAt}'s look for the next free job
 * read along an index and stop at the first rows, whether 10 or 20,000 jobs wait. Checked through the databases' own plans (H2's
 * {@code scanCount}, PostgreSQL's row counts per plan node), not by timing. With the earlier claim
 * ({@code ORDER BY id ... FOR UPDATE SKIP LOCKED}) H2 read, and locked, every due row.
 */
class QueueScaleTest {

    private static final int QUEUED = 20_000;
    /** The jobs of the one lead whose waiting jobs are read, half of them waiting, among {@link #OTHER_LEADS} others. */
    private static final int LEADS_JOBS = 2_000;
    /** Leads with one job each besides: a store of many leads with a few jobs each, whose statistics H2's planner reads. */
    private static final int OTHER_LEADS = 10_000;
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

    /**
     * Taking a candidate is one row whatever H2's statistics say. Planned on a new store (no rows, before H2's
     * statistics have caught up with a queue that grew since), the take with {@code run_at <= :now} alone took
     * {@code reply_jobs_due_idx}'s range of every due job and looked for the one id in it: under a backlog (the
     * benchmark's, 2026-12-06) the take was a quarter of the reply workers' time. Matching the candidate's run_at
     * makes either index a point.
     */
    @Test
    void h2TakesTheCandidateByAPointOfAnIndexOnANewStore() throws Exception {
        try (TestDatabase db = TestDatabase.h2Memory()) {
            JdbcLeadRepository.create(db.dataSource());
            Timestamp now = Timestamp.from(NOW);
            String plan = explain(db, "EXPLAIN " + positional(JdbcReplyQueue.TAKE), "worker-z", now, 1L, now, now, now);
            String index = plan.substring(plan.indexOf("/*"), plan.indexOf("*/"));
            assertThat(index).as(plan).satisfiesAnyOf(
                    i -> assertThat(i).contains("PRIMARY_KEY"),
                    i -> assertThat(i).contains("RUN_AT = "));
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

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void aLeadsWaitingJobsCostItsWebhookAndItsClaimAHandfulOfRows(TestDatabase.Kind kind) throws Exception {
        boolean h2 = kind == TestDatabase.Kind.H2_MEMORY;
        Tx.Dialect dialect = h2 ? Tx.Dialect.H2 : Tx.Dialect.POSTGRES;
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository.create(db.dataSource());
            long lead = fill(db, LEADS_JOBS);
            long followUp = addFollowUp(db, lead);
            addOtherLeadsJobs(db);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                // as both do by themselves as rows change (H2 on a sample): the planners then weigh indexes by statistics
                s.execute(h2 ? "ANALYZE SAMPLE_SIZE 0" : "ANALYZE reply_jobs");
            }
            for (String plan : leadsWaitingJobPlans(db, dialect, explainAnalyze(h2), lead)) {
                assertReadsAHandfulOfRows(h2, plan);
            }
            assertCancelsTheFollowUpAloneAndSeesLaterTexts(db, dialect, lead, followUp);
        }
    }

    /**
     * A reply to a lead with a long answered history and a short burst waiting reads the burst, not the history: the
     * claim's take of the job, the lead's newest messages for the AI, the first unanswered text, and on sending the
     * update of the jobs the reply answered. On H2 with statistics the last three read every message or job the lead
     * ever had (the index of the lead's foreign key, lead_id alone); the take, which H2 plans well here, is
     * {@link #h2TakesTheCandidateByAPointOfAnIndexOnANewStore}'s.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void aReplyToALeadWithALongHistoryReadsItsWaitingTextsAlone(TestDatabase.Kind kind) throws Exception {
        boolean h2 = kind == TestDatabase.Kind.H2_MEMORY;
        Tx.Dialect dialect = h2 ? Tx.Dialect.H2 : Tx.Dialect.POSTGRES;
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository.create(db.dataSource());
            long lead = fill(db, LEADS_JOBS);
            addOtherLeadsJobs(db);
            addOtherLeadsMessages(db);
            long outbound;
            List<long[]> burst = new ArrayList<>(); // message id, job id of the texts waiting
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE reply_jobs SET done = TRUE, lease_owner = NULL, lease_until = NULL WHERE lead_id = " + lead);
                // a conversation: every other message of the history is the business's answer
                s.executeUpdate("UPDATE messages SET direction = 'outbound', status = 'sent' WHERE MOD(id, 2) = 0 AND lead_id = " + lead);
                outbound = insertMessage(c, lead, "outbound", NOW.minusSeconds(5));
                for (int i = 0; i < 3; i++) {
                    long message = insertMessage(c, lead, "inbound", NOW.minusSeconds(3 - i));
                    burst.add(new long[] {message, insertJob(c, lead, message, NOW.minusSeconds(3 - i))});
                }
                s.execute(h2 ? "ANALYZE SAMPLE_SIZE 0" : "ANALYZE");
            }
            long[] newest = burst.get(2);
            String explain = explainAnalyze(h2);
            Timestamp now = Timestamp.from(NOW);
            List<String> plans = List.of(
                    explain(db, explain + positional(JdbcReplyQueue.TAKE), "worker-z", now, newest[1],
                            Timestamp.from(NOW.minusSeconds(1)), now, now),
                    explain(db, explain + positional(JdbcMessageStore.historySql(dialect)), lead, 5),
                    explain(db, explain + positional(JdbcMessageStore.firstUnansweredSql(dialect)), lead, lead, lead,
                            Timestamp.from(Instant.EPOCH)),
                    explain(db, explain + positional(JdbcReplyQueue.answeredSql(dialect)), now, newest[1], newest[0]));
            for (String plan : plans) {
                assertReadsAHandfulOfRows(h2, plan);
            }
            // and what they find: the burst's first text, the newest messages, the burst's jobs
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            assertThat(repo.messages().firstUnansweredAt(lead)).contains(NOW.minusSeconds(3));
            assertThat(repo.messages().history(lead, 5)).extracting(dev.frontdesk.sms.Message::id)
                    .endsWith(outbound, burst.get(0)[0], burst.get(1)[0], burst.get(2)[0]).hasSize(5);
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement(positional(JdbcReplyQueue.answeredSql(dialect)))) {
                ps.setTimestamp(1, now);
                ps.setLong(2, newest[1]);
                ps.setLong(3, burst.get(1)[0]);
                assertThat(ps.executeUpdate()).as("the jobs of the texts through the second").isEqualTo(2);
            }
            assertThat(db.count("reply_jobs WHERE done = FALSE AND lead_id = " + lead)).isEqualTo(1);
        }
    }

    /** A text from each of the {@link #OTHER_LEADS}, as a store of many leads has: its planner's statistics. */
    private static void addOtherLeadsMessages(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO messages (lead_id, twilio_sid, direction, from_number, to_number, body, status, created_at)"
                    + " SELECT id, 'SMother' || id, 'inbound', phone_number, '+15550002222', 'hi', 'received', created_at FROM leads"
                    + " WHERE phone_number LIKE '+1555200%'");
        }
    }

    private static String explainAnalyze(boolean h2) {
        return h2 ? "EXPLAIN ANALYZE " : "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ";
    }

    /** Every step of the executed plan read at most 10 rows, whatever the access path (on PostgreSQL, filtered out too). */
    private static void assertReadsAHandfulOfRows(boolean h2, String plan) {
        List<Long> read = h2 ? scanCounts(plan) : actualRows(plan);
        if (!h2) {
            read = new ArrayList<>(read);
            read.addAll(numbersAfterIfAny(plan, "Rows Removed by Filter: "));
        }
        assertThat(read).as(plan).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(10));
    }

    /** Named parameters as JDBC's question marks, in the order they appear. */
    private static String positional(String sql) {
        return sql.replaceAll(":[a-zA-Z]+", "?");
    }

    private static long insertMessage(Connection c, long lead, String direction, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (lead_id, twilio_sid, direction, from_number,"
                + " to_number, body, status, created_at) VALUES (?, ?, ?, '+15550001111', '+15550002222', 'hi', ?, ?)",
                new String[] {"id"})) {
            ps.setLong(1, lead);
            ps.setString(2, "SMburst" + direction + at.getEpochSecond());
            ps.setString(3, direction);
            ps.setString(4, direction.equals("inbound") ? "received" : "sent");
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
            return generatedId(ps);
        }
    }

    private static long insertJob(Connection c, long lead, long message, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts,"
                + " run_at, created_at, updated_at) VALUES (?, ?, FALSE, 0, ?, ?, ?)", new String[] {"id"})) {
            ps.setLong(1, lead);
            ps.setLong(2, message);
            ps.setTimestamp(3, Timestamp.from(at)); // due
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
            return generatedId(ps);
        }
    }

    /**
     * The plans of what reads a lead's waiting jobs, for a lead with 10,000 of them: the webhook's cancel of the
     * lead's follow-up (every returning customer's text runs it) and the claim's "is a later text waiting" check.
     * Before V18 put the kind into {@code reply_jobs_lead_idx} the cancel read all 10,000 waiting rows; on H2 with
     * statistics, before its statement named that index, all 20,000 of the lead's jobs; before the check became an
     * EXISTS it counted them.
     */
    private static List<String> leadsWaitingJobPlans(TestDatabase db, Tx.Dialect dialect, String explain, long lead)
            throws SQLException {
        long oldest = firstJobId(db, lead);
        return List.of(
                explain(db, explain + FollowUpJobs.cancelSql(dialect), Timestamp.from(NOW), lead, Timestamp.from(NOW)),
                explain(db, explain + JdbcReplyQueue.LATER_JOB_WAITING.replace(":lead", "?").replace(":id", "?"), lead, oldest));
    }

    private static void assertCancelsTheFollowUpAloneAndSeesLaterTexts(TestDatabase db, Tx.Dialect dialect, long lead,
            long followUp) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            FollowUpJobs.cancel(c, dialect, lead, NOW);
        }
        assertThat(db.count("reply_jobs WHERE done = FALSE AND lead_id = " + lead)).isEqualTo(LEADS_JOBS / 2);
        assertThat(db.count("reply_jobs WHERE id = " + followUp + " AND done = TRUE")).isEqualTo(1);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(JdbcReplyQueue.LATER_JOB_WAITING.replace(":lead", "?").replace(":id", "?"))) {
            ps.setLong(1, lead);
            ps.setLong(2, firstJobId(db, lead));
            assertThat(exists(ps)).as("a later text waits behind the oldest job").isTrue();
            ps.setLong(2, lastReplyJobId(db, lead));
            assertThat(exists(ps)).as("nothing waits behind the newest text (a cancelled follow-up is none)").isFalse();
        }
    }

    private static boolean exists(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** A waiting follow-up of {@code lead}, due after every reply job; its id. */
    private static long addFollowUp(TestDatabase db, long lead) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts,"
                     + " run_at, created_at, updated_at, kind) VALUES (?, NULL, FALSE, 0, ?, ?, ?, '" + FollowUpJobs.KIND + "')",
                     new String[] {"id"})) {
            ps.setLong(1, lead);
            ps.setTimestamp(2, Timestamp.from(NOW.plus(Duration.ofHours(24))));
            ps.setTimestamp(3, Timestamp.from(NOW));
            ps.setTimestamp(4, Timestamp.from(NOW));
            ps.executeUpdate();
            return generatedId(ps);
        }
    }

    /** {@link #OTHER_LEADS} more leads with one job each (a missed call answered long ago). */
    private static void addOtherLeadsJobs(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leads (phone_number, source, created_at, sms_enabled,"
                    + " sms_opt_out) VALUES (?, 'sms', ?, TRUE, FALSE)")) {
                for (int l = 0; l < OTHER_LEADS; l++) {
                    ps.setString(1, String.format("+1555200%04d", l));
                    ps.setTimestamp(2, Timestamp.from(NOW));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reply_jobs (lead_id, done, attempts, run_at, created_at,"
                    + " updated_at, kind) SELECT id, TRUE, 0, created_at, created_at, created_at, 'missed_call' FROM leads"
                    + " WHERE phone_number LIKE '+1555200%'")) {
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    private static long firstJobId(TestDatabase db, long lead) throws SQLException {
        return oneLong(db, "SELECT MIN(id) FROM reply_jobs WHERE lead_id = " + lead);
    }

    private static long lastReplyJobId(TestDatabase db, long lead) throws SQLException {
        return oneLong(db, "SELECT MAX(id) FROM reply_jobs WHERE kind = 'reply' AND lead_id = " + lead);
    }

    private static long oneLong(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One lead, one message per job; every job due (run_at in the past), a few of them leased; the lead's id. */
    private static long fill(TestDatabase db) throws SQLException {
        return fill(db, QUEUED);
    }

    /** {@link #fill(TestDatabase)} with {@code queued} jobs. */
    private static long fill(TestDatabase db, int queued) throws SQLException {
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
                for (int i = 0; i < queued; i++) {
                    Timestamp at = Timestamp.from(NOW.minusSeconds(queued - i));
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
            return lead;
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
        int params = (int) sql.chars().filter(ch -> ch == '?').count();
        Object[] now = new Object[params];
        java.util.Arrays.fill(now, Timestamp.from(NOW));
        return explain(db, sql, now);
    }

    /** The plan of {@code sql} run with {@code params}; whatever it wrote (EXPLAIN ANALYZE runs it) rolled back. */
    private static String explain(TestDatabase db, String sql, Object... params) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false); // EXPLAIN ANALYZE of FOR UPDATE takes locks, of UPDATE writes; roll them back
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
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
        List<Long> found = numbersAfterIfAny(text, marker);
        assertThat(found).as("no %s in plan:%n%s", marker, text).isNotEmpty();
        return found;
    }

    private static List<Long> numbersAfterIfAny(String text, String marker) {
        List<Long> found = new ArrayList<>();
        var m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(marker) + "(\\d+)").matcher(text);
        while (m.find()) {
            found.add(Long.parseLong(m.group(1)));
        }
        return found;
    }

    private static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }
}
