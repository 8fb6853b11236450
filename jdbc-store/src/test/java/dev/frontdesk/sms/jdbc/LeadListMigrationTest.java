package dev.frontdesk.sms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.LeadFilter;
import dev.frontdesk.sms.LeadQuery;
import dev.frontdesk.sms.Lead;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** V8 fills {@code last_message_direction} for leads stored before it, so the unanswered filter sees them at once. */
class LeadListMigrationTest {

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void leadsStoredBeforeVersion8AreFilteredByTheirLatestMessage(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            Flyway.configure().dataSource(db.dataSource()).locations(JdbcLeadRepository.MIGRATIONS_LOCATION)
                    .table(JdbcLeadRepository.SCHEMA_HISTORY_TABLE).target("6").load().migrate();
            db.execute("INSERT INTO leads (id, phone_number, source, created_at, sms_enabled, last_sms_at, sms_opt_out) VALUES"
                    + " (1, '+15550000001', 'sms', TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00', TRUE,"
                    + " TIMESTAMP WITH TIME ZONE '2026-03-01 10:02:00+00', FALSE),"
                    + " (2, '+15550000002', 'sms', TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00', TRUE,"
                    + " TIMESTAMP WITH TIME ZONE '2026-03-01 10:01:00+00', FALSE),"
                    + " (3, '+15550000003', 'manual', TIMESTAMP WITH TIME ZONE '2026-03-01 10:03:00+00', FALSE, NULL, FALSE)");
            db.execute("INSERT INTO messages (lead_id, direction, body, status, created_at) VALUES"
                    + " (1, 'inbound', 'hi', 'received', TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00'),"
                    + " (1, 'outbound', 'hello', 'sent', TIMESTAMP WITH TIME ZONE '2026-03-01 10:01:00+00'),"
                    + " (1, 'inbound', 'still there?', 'received', TIMESTAMP WITH TIME ZONE '2026-03-01 10:02:00+00'),"
                    + " (2, 'inbound', 'hi', 'received', TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00'),"
                    + " (2, 'outbound', 'hello', 'sent', TIMESTAMP WITH TIME ZONE '2026-03-01 10:01:00+00')");

            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());

            Instant now = Instant.parse("2026-03-02T00:00:00Z");
            assertThat(repo.leads().listLeads(new LeadQuery(null, LeadFilter.UNANSWERED, null, 10, now)))
                    .extracting(Lead::id).containsExactly(1L);
            assertThat(repo.leads().listLeads(LeadQuery.first(10, now))).extracting(Lead::id).containsExactly(3L, 1L, 2L);
        }
    }
}
