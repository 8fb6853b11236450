package dev.frontdesk.sms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.frontdesk.sms.LeadRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of README's "Storage (jdbc-store)" section, compiled and run. */
class ReadmeExampleTest {

    @Test
    void readmeSnippetRuns(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data/frontdesk").toAbsolutePath();
        try (HikariDataSource pool = new HikariDataSource()) {
            Jdbi jdbi = Jdbi.create(pool);
            // --- README ---
            // any DataSource: HikariCP, your container's pool, H2's JdbcConnectionPool...
            pool.setJdbcUrl(url);                                   // or jdbc:postgresql://db:5432/app
            LeadRepository store = JdbcLeadRepository.create(pool); // migrates the schema, then ready

            // the host runs Flyway itself: no migration at start-up
            LeadRepository store2 = JdbcLeadRepository.builder(pool).migrate(false).build();

            // or over a Jdbi the host already has
            LeadRepository store3 = JdbcLeadRepository.builder(jdbi).build();

            // PostgreSQL: one listening connection of its own (plain, not from the pool) wakes a worker at once when
            // another instance enqueues a reply job; idle workers then look only every 15 s
            PGSimpleDataSource plain = new PGSimpleDataSource();
            plain.setURL("jdbc:postgresql://db:5432/app"); // the pool's database and schema (user, password too)
            LeadRepository store4 = JdbcLeadRepository.builder(pool).listenDataSource(plain).build();
            // --- end ---
            store.checkAvailable();
            store2.checkAvailable();
            store3.checkAvailable();
            store4.checkAvailable(); // on H2 the listening connection is never opened
            assertThat(store.leads().listLeads(10)).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("data/frontdesk.mv.db"))).isTrue();
    }
}
