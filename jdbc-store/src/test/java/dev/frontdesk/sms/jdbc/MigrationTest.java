package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.Fixtures.T0;
import static dev.frontdesk.sms.jdbc.Fixtures.inbound;
import static dev.frontdesk.sms.jdbc.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.Keyword;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The versioned schema: what it creates on each database, and that it can be applied again or by the host. */
class MigrationTest {

    /** DESIGN.md "Database": leads and messages as the Desk.ai schema has them, plus media and the reply queue. */
    private static final Map<String, Set<String>> EXPECTED = Map.of(
            "leads", Set.of("id", "phone_number", "name", "source", "created_at", "sms_enabled", "last_sms_at", "sms_opt_out",
                    // V3 (issue #10): human takeover, qualification, after-hours notice
                    "ai_enabled", "ai_paused_until", "qualification_name", "qualification_service", "qualification_address",
                    "qualification_urgency", "qualification_preferred_time", "qualification_staff_fields", "after_hours_notice_at",
                    "last_message_direction",
                    // V11 (issue 18): the lead's channel, (channel, phone_number) unique
                    "channel"),
            "ai_calls", Set.of("id", "lead_id", "reply_job_id", "model", "outcome", "prompt_tokens", "completion_tokens",
                    "latency_ms", "created_at"),
            // V2 (issue #9): what the abuse caps count
            "auto_replies", Set.of("id", "lead_id", "ai_call", "created_at",
                    // V5 (issue #14): counted once per reply job
                    "reply_job_id"),
            "messages", Set.of("id", "lead_id", "twilio_sid", "direction", "from_number", "to_number", "body", "status",
                    "error_code", "num_segments", "sent_at", "delivered_at", "created_at", "reply_job_id"),
            "message_media", Set.of("message_id", "position", "url", "content_type"),
            "reply_jobs", Set.of("id", "lead_id", "inbound_message_id", "done", "attempts", "lease_owner", "lease_until",
                    "run_at", "last_error", "created_at", "updated_at",
                    // V10 (issue 18): jobs of other kinds (missed-call texts), keyed by the call
                    "kind", "call_sid",
                    // V17 (issue 18): the number a missed call was made to, which its text goes out from
                    "called_number"),
            // V13 (issue 18): texts to the owner, one per lead and reason
            "owner_alerts", Set.of("id", "lead_id", "reason", "message_id", "created_at", "status", "attempts",
                    "next_attempt_at", "lease_owner", "lease_until", "sent_at", "twilio_sid", "last_error"));

    private static final Set<String> TIMESTAMP_COLUMNS = Set.of("leads.created_at", "leads.last_sms_at",
            "messages.sent_at", "messages.delivered_at", "messages.created_at", "reply_jobs.lease_until",
            "reply_jobs.run_at", "reply_jobs.created_at", "reply_jobs.updated_at", "leads.ai_paused_until",
            "leads.after_hours_notice_at", "ai_calls.created_at", "auto_replies.created_at", "owner_alerts.created_at",
            "owner_alerts.next_attempt_at", "owner_alerts.sent_at");

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void tablesAndColumnsMatchTheDesign(TestDatabase.Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository.migrate(db.dataSource());
            Map<String, Map<String, String>> schema = describe(db);

            assertThat(schema.keySet()).containsAll(EXPECTED.keySet());
            EXPECTED.forEach((table, columns) -> assertThat(schema.get(table).keySet()).as(table).isEqualTo(columns));
            for (String column : TIMESTAMP_COLUMNS) {
                String[] tc = column.split("\\.");
                assertThat(schema.get(tc[0]).get(tc[1])).as(column).isIn("timestamptz", "timestamp with time zone");
            }
            assertThat(uniqueColumns(db)).doesNotContain("leads.phone_number").contains("messages.twilio_sid", "messages.reply_job_id",
                    "reply_jobs.inbound_message_id", "auto_replies.reply_job_id", "reply_jobs.call_sid");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRES"})
    void migratingTwiceIsANoOp(TestDatabase.Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            repo.recordInbound(inbound("SM7e570000000000000000000000000001", phone(1), "kept"), Keyword.NONE, T0);
            Map<String, Map<String, String>> before = describe(db);
            long historyRows = db.count("\"" + JdbcLeadRepository.SCHEMA_HISTORY_TABLE + "\"");

            MigrateResult again = flyway(db.dataSource(), JdbcLeadRepository.SCHEMA_HISTORY_TABLE).migrate();
            JdbcLeadRepository.migrate(db.dataSource());
            JdbcLeadRepository.create(db.dataSource());

            assertThat(again.migrationsExecuted).isZero();
            assertThat(db.count("\"" + JdbcLeadRepository.SCHEMA_HISTORY_TABLE + "\"")).isEqualTo(historyRows);
            assertThat(describe(db)).isEqualTo(before);
            assertThat(repo.messages().findMessageBySid("SM7e570000000000000000000000000001")).isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void aHostCanApplyTheMigrationsWithItsOwnFlyway(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            MigrateResult result = flyway(db.dataSource(), "host_schema_history").migrate();
            assertThat(result.migrationsExecuted).isEqualTo(migrationFiles());

            JdbcLeadRepository repo = JdbcLeadRepository.builder(db.dataSource()).migrate(false).build();
            assertThat(repo.recordInbound(inbound("SM7e570000000000000000000000000001", phone(1), "hi"), Keyword.NONE, T0).replyJobId()).isNotNull();
            assertThat(db.count("messages")).isEqualTo(1);
        }
    }

    /** The versioned migrations shipped in the jar. */
    private static int migrationFiles() {
        try {
            java.net.URL dir = MigrationTest.class.getResource(
                    "/" + JdbcLeadRepository.MIGRATIONS_LOCATION.substring("classpath:".length()));
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of(dir.toURI()))) {
                return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
            }
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void aSchemaThatAlreadyHoldsTheHostsTablesIsMigratedToo(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            db.execute("CREATE TABLE host_invoices (id BIGINT PRIMARY KEY, total INTEGER)");
            db.execute("INSERT INTO host_invoices VALUES (1, 100)");

            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            repo.recordInbound(inbound("SM7e570000000000000000000000000001", phone(1), "hi"), Keyword.NONE, T0);
            assertThat(db.count("messages")).isEqualTo(1);
            assertThat(db.count("host_invoices")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRES"})
    void aHostsFlywayOnItsDefaultLocationAndTheStoreKeepTheirVersionsApart(TestDatabase.Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabase.of(kind)) {
            for (int start = 0; start < 2; start++) {
                // the host's own V1 at classpath:db/migration (test resources), Flyway's defaults, then the store
                Flyway.configure().dataSource(db.dataSource()).load().migrate();
                JdbcLeadRepository.create(db.dataSource());

                assertThat(versions(db, "flyway_schema_history")).containsExactly("1");
                assertThat(versions(db, JdbcLeadRepository.SCHEMA_HISTORY_TABLE)).hasSize(migrationFiles()).contains("1", "2");
                assertThat(describe(db).keySet()).contains("host_invoices", "leads", "messages");
            }
        }
    }

    /** The versions a Flyway history table records as applied (not its baseline, not its schema marker). */
    private static java.util.List<String> versions(TestDatabase db, String table) throws SQLException {
        java.util.List<String> versions = new java.util.ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT \"version\" FROM \"" + table
                     + "\" WHERE \"success\" AND \"version\" IS NOT NULL AND \"type\" <> 'BASELINE' ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    private static Flyway flyway(DataSource ds, String table) {
        return Flyway.configure().dataSource(ds).locations(JdbcLeadRepository.MIGRATIONS_LOCATION).table(table).load();
    }

    /** table -> column -> type name, lower case, for the tables of the store's own schema. */
    private static Map<String, Map<String, String>> describe(TestDatabase db) throws SQLException {
        Map<String, Map<String, String>> tables = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            try (ResultSet rs = md.getColumns(null, c.getSchema(), "%", "%")) {
                while (rs.next()) {
                    tables.computeIfAbsent(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT), t -> new TreeMap<>())
                            .put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                                    rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return tables;
    }

    /** table.column for every single-column unique index on the store's tables. */
    private static Set<String> uniqueColumns(TestDatabase db) throws SQLException {
        Set<String> unique = new TreeSet<>();
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            for (String table : EXPECTED.keySet()) {
                String name = md.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                Map<String, Set<String>> columnsByIndex = new TreeMap<>();
                try (ResultSet rs = md.getIndexInfo(null, c.getSchema(), name, true, false)) {
                    while (rs.next()) {
                        if (rs.getString("INDEX_NAME") != null && rs.getString("COLUMN_NAME") != null) {
                            columnsByIndex.computeIfAbsent(rs.getString("INDEX_NAME"), i -> new TreeSet<>())
                                    .add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
                columnsByIndex.values().stream().filter(cols -> cols.size() == 1)
                        .forEach(cols -> unique.add(table + "." + cols.iterator().next()));
            }
        }
        return unique;
    }
}
