package dev.frontdesk.sms.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.LeadCursor;
import dev.frontdesk.sms.LeadFilter;
import dev.frontdesk.sms.LeadQuery;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.jdbc.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A leads page reads along an index and stops when the page is full, at any number of leads: PostgreSQL's own plans
 * (EXPLAIN ANALYZE, sequential scans left enabled) on 60,000 leads with 120,000 messages, seeded with
 * {@code generate_series} and analyzed, show no sequential scan of {@code leads} or {@code messages}, no sort of
 * more than two pages of rows and no more than a page of rows read and thrown away, for the list, every filter, a
 * page after a cursor and the page's latest messages. Without V8's indexes the planner reads every lead and sorts
 * them; without the filter's own index it walks past the leads that do not match.
 *
 * <p>The search ({@code q}, a substring of a name or number) is not here: no index both databases have serves a
 * substring match, so on PostgreSQL it may read every lead once (BENCHMARKS.md has its time at 300,000 leads).
 */
class LeadListPlanTest {
    private static final int LEADS = 60_000;
    private static final int PAGE = 100;
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Pattern ACTUAL_ROWS = Pattern.compile("actual rows=([0-9]+)");
    private static final Pattern REMOVED = Pattern.compile("Rows Removed by Filter: ([0-9]+)");

    private static TestDatabase db;
    private static Jdbi jdbi;

    @BeforeAll
    static void seed() throws Exception {
        db = TestDatabase.postgres();
        JdbcLeadRepository.create(db.dataSource());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            // every 1,000th lead has no message yet; 1 in 50 opted out, 1 in 40 with the AI off, 1 in 20 unanswered
            s.execute("INSERT INTO leads (phone_number, name, source, created_at, sms_enabled, last_sms_at, sms_opt_out,"
                    + " ai_enabled, last_message_direction)"
                    + " SELECT '+1555' || lpad(g::text, 7, '0'), CASE WHEN g % 3 = 0 THEN 'Customer ' || g END, 'sms',"
                    + " TIMESTAMPTZ '2026-06-01 12:00:00+00' - g * INTERVAL '2 minutes', g % 1000 <> 0,"
                    + " CASE WHEN g % 1000 <> 0 THEN TIMESTAMPTZ '2026-06-01 12:00:00+00' - g * INTERVAL '1 minute' END,"
                    + " g % 50 = 0, g % 40 <> 0,"
                    + " CASE WHEN g % 1000 = 0 THEN NULL WHEN g % 20 = 0 THEN 'inbound' ELSE 'outbound' END"
                    + " FROM generate_series(1, " + LEADS + ") g");
            s.execute("INSERT INTO messages (lead_id, direction, from_number, to_number, body, status, num_segments, created_at)"
                    + " SELECT l.id, CASE WHEN k = 1 THEN 'inbound' ELSE COALESCE(l.last_message_direction, 'outbound') END,"
                    + " l.phone_number, '+15550001111', 'message ' || k, 'received', 1, l.last_sms_at - (2 - k) * INTERVAL '1 second'"
                    + " FROM leads l CROSS JOIN generate_series(1, 2) k WHERE l.last_sms_at IS NOT NULL");
            s.execute("ANALYZE leads");
            s.execute("ANALYZE messages");
        }
        jdbi = Jdbi.create(db.dataSource());
    }

    @AfterAll
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyListAndFilterReadsAnIndexInOrderAndSortsAtMostAPage() {
        LeadCursor deep = new LeadCursor(NOW.minusSeconds(60L * 40_000), 40_000);
        List<LeadQuery> queries = List.of(
                LeadQuery.first(PAGE, NOW),
                new LeadQuery(null, null, deep, PAGE, NOW),
                new LeadQuery(null, LeadFilter.UNANSWERED, null, PAGE, NOW),
                new LeadQuery(null, LeadFilter.OPTED_OUT, null, PAGE, NOW),
                new LeadQuery(null, LeadFilter.AI_PAUSED, null, PAGE, NOW),
                new LeadQuery(null, LeadFilter.UNANSWERED, deep, PAGE, NOW));
        for (LeadQuery q : queries) {
            String plan = explain(q);
            assertThat(plan).as("%s%n%s", q, plan).doesNotContain("Seq Scan");
            assertThat(sortedRows(plan)).as("%s%n%s", q, plan).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2 * PAGE));
            assertThat(all(REMOVED, plan)).as("rows read and thrown away: %s%n%s", q, plan)
                    .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(PAGE));
            assertThat(rowsOut(plan)).as("%s%n%s", q, plan).isEqualTo(PAGE);
        }
    }

    @Test
    void thePagesLatestMessagesAreOneIndexedQuery() {
        List<Long> page = jdbi.withHandle(h -> h.createQuery("SELECT id FROM leads ORDER BY id FETCH FIRST 100 ROWS ONLY")
                .mapTo(Long.class).list());
        String plan = jdbi.withHandle(h -> String.join("\n", h.createQuery("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "
                + JdbcMessageStore.LAST_MESSAGES).bindList("leads", page).mapTo(String.class).list()));
        assertThat(plan).as(plan).doesNotContain("Seq Scan");
        assertThat(rowsOut(plan)).as(plan).isEqualTo(100);
    }

    private static String explain(LeadQuery q) {
        return jdbi.withHandle(h -> String.join("\n",
                JdbcLeadStore.listQuery(h, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ", q).mapTo(String.class).list()));
    }

    /** The rows each Sort node read: the actual rows of the node below it (a top-N sort returns fewer). */
    private static List<Long> sortedRows(String plan) {
        List<Long> rows = new ArrayList<>();
        String[] lines = plan.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].matches("\\s*(->\\s+)?Sort \\(.*")) {
                continue;
            }
            int depth = indent(lines[i]);
            for (int j = i + 1; j < lines.length && indent(lines[j]) > depth; j++) {
                Matcher m = ACTUAL_ROWS.matcher(lines[j]);
                if (lines[j].trim().startsWith("->") && m.find()) {
                    rows.add(Long.parseLong(m.group(1)));
                    break;
                }
            }
        }
        return rows;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static List<Long> all(Pattern p, String plan) {
        List<Long> found = new ArrayList<>();
        Matcher m = p.matcher(plan);
        while (m.find()) {
            found.add(Long.parseLong(m.group(1)));
        }
        return found;
    }

    /** The rows the plan's top node returned. */
    private static long rowsOut(String plan) {
        Matcher m = ACTUAL_ROWS.matcher(plan);
        assertThat(m.find()).as(plan).isTrue();
        return Long.parseLong(m.group(1));
    }
}
