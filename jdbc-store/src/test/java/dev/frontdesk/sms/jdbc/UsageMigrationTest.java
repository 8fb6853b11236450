package dev.frontdesk.sms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.UsageCounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** V9 back-fills the quarter-hour totals of what was stored before it, so usage and the budget read them at once. */
class UsageMigrationTest {

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void messagesAndAiCallsStoredBeforeVersion9AreInTheTotals(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            Flyway.configure().dataSource(db.dataSource()).locations(JdbcLeadRepository.MIGRATIONS_LOCATION)
                    .table(JdbcLeadRepository.SCHEMA_HISTORY_TABLE).target("8").load().migrate();
            db.execute("INSERT INTO leads (id, phone_number, source, created_at, sms_enabled, last_sms_at, sms_opt_out) VALUES"
                    + " (1, '+15550000001', 'sms', TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00', TRUE, NULL, FALSE)");
            db.execute("INSERT INTO messages (lead_id, twilio_sid, direction, body, status, num_segments, created_at) VALUES"
                    + " (1, 'SM7e570000000000000000000000000001', 'inbound', 'hi', 'received', 2, TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00'),"
                    + " (1, 'SM7e570000000000000000000000000002', 'outbound', 'hello', 'sent', NULL, TIMESTAMP WITH TIME ZONE '2026-03-01 10:14:59.999999+00'),"
                    + " (1, NULL, 'outbound', 'never sent', 'failed', 1, TIMESTAMP WITH TIME ZONE '2026-03-01 10:15:00+00'),"
                    + " (1, 'SM7e570000000000000000000000000003', 'inbound', 'next day', 'received', NULL, TIMESTAMP WITH TIME ZONE '2026-03-02 00:00:00+00')");
            db.execute("INSERT INTO ai_calls (lead_id, outcome, prompt_tokens, completion_tokens, latency_ms, created_at) VALUES"
                    + " (1, 'ok', 100, 20, 500, TIMESTAMP WITH TIME ZONE '2026-03-01 23:59:59.999999+00')");

            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());

            List<Map<String, Object>> rows = Jdbi.create(db.dataSource()).withHandle(h -> h.createQuery(
                    "SELECT bucket, inbound, outbound, inbound_segments, outbound_segments, ai_calls, prompt_tokens,"
                            + " completion_tokens FROM usage_buckets ORDER BY bucket").mapToMap().list());
            long tenAm = Instant.parse("2026-03-01T10:00:00Z").getEpochSecond() / 900;
            assertThat(rows).as("one row per quarter-hour with something counted").hasSize(3);
            assertThat(((Number) rows.get(0).get("bucket")).longValue()).isEqualTo(tenAm);
            assertThat(((Number) rows.get(0).get("inbound_segments")).longValue()).isEqualTo(2);
            assertThat(((Number) rows.get(0).get("outbound")).longValue()).as("sent at 10:14:59.999999").isEqualTo(1);
            assertThat(((Number) rows.get(1).get("ai_calls")).longValue()).isEqualTo(1);
            Long filled = Jdbi.create(db.dataSource()).withHandle(h -> h.createQuery("SELECT filled_before FROM usage_fill")
                    .mapTo(Long.class).one());
            assertThat(filled).as("filled up to the migration's quarter-hour").isGreaterThan(tenAm + 96);

            Instant day = Instant.parse("2026-03-01T00:00:00Z");
            List<UsageCounts> days = repo.usage().countsBetween(List.of(day, day.plusSeconds(86_400), day.plusSeconds(2 * 86_400)),
                    Instant.parse("2026-03-05T00:00:00Z"));
            assertThat(days).containsExactly(new UsageCounts(1, 1, 2, 1, 1, 100, 20), new UsageCounts(1, 0, 1, 0, 0, 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void anEmptyDatabaseStartsWithNothingFilled(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository.create(db.dataSource());
            List<Long> filled = Jdbi.create(db.dataSource()).withHandle(h -> h.createQuery("SELECT filled_before FROM usage_fill")
                    .mapTo(Long.class).list());
            assertThat(filled).as("texts recorded later at any time are filled on the first read").containsExactly((Long) null);
        }
    }
}
