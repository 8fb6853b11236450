package dev.frontdesk.sms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The scale benchmark at its smallest (1,000 leads, a few requests), so CI sees that it seeds, serves and prints its
 * table; no timing is asserted (the full run is benchmarks/scale.sh, outside CI). Needs PostgreSQL on 127.0.0.1:5432:
 * skipped without it, unless FRONTDESK_REQUIRE_POSTGRES=true (CI), which makes its absence a failure.
 */
class ScaleBenchTest {

    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

    @Test
    void seedsServesAndPrintsTheTableAtOneThousandLeads() throws Exception {
        requirePostgres();
        ScaleBench bench = new ScaleBench(PG, "frontdesk_scale_smoke", 3, 50, 40);

        List<ScaleBench.Row> rows = bench.run(List.of(1000));
        String table = ScaleBench.table(rows);
        System.out.println(table);

        assertThat(rows).extracting(ScaleBench.Row::leads).containsExactly(0, 1000);
        ScaleBench.Row seeded = rows.get(1);
        assertThat(seeded.messages()).isEqualTo(10_000);
        assertThat(seeded.usageInbound()).as("30 days of usage count every seeded inbound text").isEqualTo(5_000);
        assertThat(seeded.usageOutbound()).isEqualTo(5_000);
        assertThat(rows.get(0).usageInbound()).isZero();
        assertThat(rows).allSatisfy(r -> assertThat(r.ackErrors()).as("signed posts acknowledged").isZero());
        assertThat(table).contains("| 1,000 (10,000, 3,000) |").contains("| 0 (0, 0) |");
        try (Connection c = DriverManager.getConnection(PG + "postgres?user=postgres");
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM pg_database WHERE datname = 'frontdesk_scale_smoke'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the seeded database is dropped").isZero();
        }
    }

    private static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(PG + "postgres?user=postgres")) {
            c.isValid(2);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("FRONTDESK_REQUIRE_POSTGRES"))) {
                fail("FRONTDESK_REQUIRE_POSTGRES=true but PostgreSQL does not answer on 127.0.0.1:5432: " + e.getMessage());
            }
            Assumptions.abort("PostgreSQL does not answer on 127.0.0.1:5432");
        }
    }
}
