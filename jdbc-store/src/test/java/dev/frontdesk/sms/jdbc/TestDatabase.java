package dev.frontdesk.sms.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty database for one test: in-memory H2, file H2 in a temporary directory, or a new schema
 * in the PostgreSQL on 127.0.0.1:5432 (trust auth, user {@code postgres}, database {@code test}).
 * {@link #close()} closes the pool and drops what was created.
 *
 * <p>PostgreSQL: when it does not answer, {@link #postgres()} skips the test with a message saying so,
 * unless {@code FRONTDESK_REQUIRE_POSTGRES=true} (set by {@code .ci/run}), which makes it fail.
 */
public final class TestDatabase implements AutoCloseable {

    static final String PG_HOST = System.getenv().getOrDefault("FRONTDESK_PG_HOST", "127.0.0.1");
    static final String PG_PORT = System.getenv().getOrDefault("FRONTDESK_PG_PORT", "5432");
    static final String PG_BASE_URL = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/test";
    static final String PG_USER = "postgres";

    public enum Kind { H2_MEMORY, H2_FILE, POSTGRES }

    private final Kind kind;
    private final String url;
    private final Path dir;
    private final String schema;
    private HikariDataSource pool;

    private TestDatabase(Kind kind, String url, Path dir, String schema) {
        this.kind = kind;
        this.url = url;
        this.dir = dir;
        this.schema = schema;
        this.pool = newPool();
    }

    public static TestDatabase h2Memory() {
        return new TestDatabase(Kind.H2_MEMORY, "jdbc:h2:mem:fd" + shortId() + ";DB_CLOSE_DELAY=-1", null, null);
    }

    public static TestDatabase h2File() {
        try {
            Path dir = Files.createTempDirectory("frontdesk-h2-");
            return new TestDatabase(Kind.H2_FILE, "jdbc:h2:file:" + dir.resolve("frontdesk").toAbsolutePath(), dir, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestDatabase postgres() {
        requirePostgres();
        String schema = "fd_test_" + shortId();
        try (Connection c = DriverManager.getConnection(PG_BASE_URL, PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create schema " + schema, e);
        }
        return new TestDatabase(Kind.POSTGRES, PG_BASE_URL + "?currentSchema=" + schema, null, schema);
    }

    public static TestDatabase of(Kind kind) {
        return switch (kind) {
            case H2_MEMORY -> h2Memory();
            case H2_FILE -> h2File();
            case POSTGRES -> postgres();
        };
    }

    /** Skips (or, when required, fails) the calling test if PostgreSQL does not answer. */
    static void requirePostgres() {
        String problem = null;
        try (Connection c = DriverManager.getConnection(PG_BASE_URL + "?connectTimeout=3", PG_USER, "")) {
            c.isValid(3);
        } catch (SQLException e) {
            problem = e.getMessage();
        }
        if (problem == null) {
            return;
        }
        String message = "PostgreSQL is not reachable at " + PG_BASE_URL + " as " + PG_USER + " (" + problem + ")";
        if ("true".equalsIgnoreCase(System.getenv("FRONTDESK_REQUIRE_POSTGRES"))) {
            fail(message + "; FRONTDESK_REQUIRE_POSTGRES=true makes this a failure");
        }
        Assumptions.abort(message + "; skipping the PostgreSQL tests (set FRONTDESK_REQUIRE_POSTGRES=true to fail instead)");
    }

    private HikariDataSource newPool() {
        return newPool(10);
    }

    /** Another pool of {@code size} connections on the same database; the caller closes it. */
    HikariDataSource newPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (kind == Kind.POSTGRES) {
            config.setUsername(PG_USER);
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(5_000);
        config.setPoolName("test-" + kind.name().toLowerCase(Locale.ROOT));
        return new HikariDataSource(config);
    }

    public Kind kind() {
        return kind;
    }

    /** A pooled DataSource (up to 10 connections). */
    public DataSource dataSource() {
        return pool;
    }

    String url() {
        return url;
    }

    String schema() {
        return schema;
    }

    /** Closes the pool (simulating the store going away) without dropping anything. */
    void closePool() {
        pool.close();
    }

    /** Closes the pool and opens a new one on the same database (H2 file: shuts the database down first). */
    void reopen() {
        pool.close();
        if (kind == Kind.H2_FILE) {
            shutdownH2(); // closes the database file for certain; the next pool opens it again
        }
        pool = newPool();
    }

    public long count(String sqlFromWhere) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + sqlFromWhere)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute(String sql) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pool.close();
        if (kind == Kind.H2_MEMORY) {
            shutdownH2();
        }
        if (kind == Kind.POSTGRES) {
            try (Connection c = DriverManager.getConnection(PG_BASE_URL, PG_USER, "");
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("Could not drop schema " + schema, e);
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void shutdownH2() {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not shut down " + url, e);
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
