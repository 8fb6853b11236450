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
 * The streams memory benchmark at its smallest (1,000 leads, 5 streams, 50 + 450 texts), so CI sees it seed, fan
 * every change out to every stream (the bench itself fails when a stream misses or gets an extra event) and let go
 * of the streams once their clients hang up; no heap figure is asserted (the full run is benchmarks/streams.sh).
 * Needs PostgreSQL on 127.0.0.1:5432: skipped without it, unless FRONTDESK_REQUIRE_POSTGRES=true.
 */
class StreamsBenchTest {

    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

    @Test
    void everyStreamGetsEveryEventAndTheServerLetsGoOfClosedStreams() throws Exception {
        requirePostgres();
        StreamsBench bench = new StreamsBench(PG, "frontdesk_streams_smoke", 5, 50);

        StreamsBench.Row row = bench.measure(1000);
        System.out.println(StreamsBench.table(List.of(row)));

        assertThat(row.firstEvents()).as("one change per inbound text").isEqualTo(50);
        assertThat(row.eventsPerStream()).as("each of the 5 streams received all 500 changes").isEqualTo(500);
        assertThat(row.leftOpen()).as("streams the server still holds after the clients hung up").isZero();
        assertThat(row.baseline()).isPositive();
        try (Connection c = DriverManager.getConnection(PG + "postgres?user=postgres");
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM pg_database WHERE datname = 'frontdesk_streams_smoke'")) {
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
