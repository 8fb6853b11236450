package dev.frontdesk.sms.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.UsageCounts;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.jdbc.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Usage and the budget cost days, not messages: PostgreSQL's own plans (EXPLAIN ANALYZE, sequential scans left enabled)
 * on 200,000 messages and 60,000 AI calls over 30 days show that 30 days of usage in a zone with a :45 offset, the
 * month so far and a span starting inside a quarter-hour read no message or AI call older than the live half hour and
 * the partial quarter-hours at the spans' ends (each row of those at most once), and never scan either table. Before
 * {@link UsageSpans}, a span starting inside a quarter-hour counted every message of its range.
 */
class UsageSpansPlanTest {
    private static final int MESSAGES = 200_000;
    private static final Instant NOW = Instant.parse("2026-06-30T18:07:31.123456Z");
    private static final Pattern MESSAGE_ROWS = Pattern.compile("Scan[^\\n]* on (messages|ai_calls)\\b[^\\n]*actual rows=([0-9]+)");

    private static TestDatabase db;
    private static Jdbi jdbi;
    private static JdbcLeadRepository repo;

    @BeforeAll
    static void seed() throws Exception {
        db = TestDatabase.postgres();
        repo = JdbcLeadRepository.create(db.dataSource());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO leads (phone_number, source, created_at, sms_enabled, last_sms_at, sms_opt_out)"
                    + " SELECT '+1555' || lpad(g::text, 7, '0'), 'sms', TIMESTAMPTZ '2026-05-31 00:00:00+00', TRUE,"
                    + " TIMESTAMPTZ '2026-05-31 00:00:00+00', FALSE FROM generate_series(1, 1000) g");
            // one message every ~13 s for 30 days, in the order they arrived; every other one outbound and sent
            s.execute("INSERT INTO messages (lead_id, twilio_sid, direction, from_number, to_number, body, status, num_segments,"
                    + " created_at) SELECT 1 + g % 1000, 'SM' || lpad(to_hex(g), 32, '0'),"
                    + " CASE WHEN g % 2 = 0 THEN 'inbound' ELSE 'outbound' END, '+15550000001', '+15550001111', 'm', 'received', 1,"
                    + " TIMESTAMPTZ '" + NOW + "' - (" + MESSAGES + " - g) * INTERVAL '12960 milliseconds'"
                    + " FROM generate_series(1, " + MESSAGES + ") g");
            s.execute("INSERT INTO ai_calls (lead_id, model, outcome, prompt_tokens, completion_tokens, latency_ms, created_at)"
                    + " SELECT 1 + g % 1000, 'm', 'ok', 800, 60, 900, TIMESTAMPTZ '" + NOW + "' - (60000 - g) * INTERVAL '43200 milliseconds'"
                    + " FROM generate_series(1, 60000) g");
            s.execute("VACUUM ANALYZE messages");
            s.execute("VACUUM ANALYZE ai_calls");
        }
        jdbi = Jdbi.create(db.dataSource());
        repo.usage().countsBetween(List.of(NOW.minus(Duration.ofDays(40)), NOW), NOW); // the fill, once
    }

    @AfterAll
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void usageDaysTheMonthAndASpanOffTheQuarterHourReadOnlyTheLiveRows() {
        ZoneId kathmandu = ZoneId.of("Asia/Kathmandu"); // +05:45
        List<Instant> days = new ArrayList<>();
        LocalDate today = NOW.atZone(kathmandu).toLocalDate();
        for (LocalDate d = today.minusDays(29); !d.isAfter(today.plusDays(1)); d = d.plusDays(1)) {
            days.add(d.atStartOfDay(kathmandu).toInstant());
        }
        Instant monthStart = today.withDayOfMonth(1).atStartOfDay(kathmandu).toInstant();
        List<List<Instant>> reads = List.of(days, List.of(monthStart, NOW.plusMillis(1)),
                List.of(NOW.minus(Duration.ofDays(30)), NOW.plusMillis(1)));
        for (List<Instant> boundaries : reads) {
            UsageSpans plan = UsageSpans.of(boundaries, NOW);
            String explained = jdbi.withHandle(h -> String.join("\n",
                    plan.query(h, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ").mapTo(String.class).list()));
            long live = count("messages", NOW.minus(Duration.ofMinutes(30)), NOW.plusMillis(1))
                    + count("ai_calls", NOW.minus(Duration.ofMinutes(30)), NOW.plusMillis(1))
                    + count("messages", boundaries.get(0), boundaries.get(0).plus(Duration.ofMinutes(15)))
                    + count("ai_calls", boundaries.get(0), boundaries.get(0).plus(Duration.ofMinutes(15)));
            assertThat(explained).as(explained).doesNotContain("Seq Scan on messages").doesNotContain("Seq Scan on ai_calls");
            assertThat(rowsRead(explained)).as("rows of messages and ai_calls read (live at most %s)%n%s", live, explained)
                    .isLessThanOrEqualTo(live);
            List<UsageCounts> spans = repo.usage().countsBetween(boundaries, NOW);
            for (int i = 0; i < spans.size(); i++) {
                assertThat(spans.get(i)).isEqualTo(repo.usage().counts(boundaries.get(i), boundaries.get(i + 1)));
            }
        }
    }

    private static long count(String table, Instant from, Instant to) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE created_at >= :f AND created_at < :t")
                .bind("f", Rows.ts(from)).bind("t", Rows.ts(to)).mapTo(Long.class).one());
    }

    private static long rowsRead(String plan) {
        long rows = 0;
        Matcher m = MESSAGE_ROWS.matcher(plan);
        while (m.find()) {
            rows += Long.parseLong(m.group(2));
        }
        return rows;
    }
}
