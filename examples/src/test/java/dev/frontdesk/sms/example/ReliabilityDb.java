package dev.frontdesk.sms.example;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database ({@code frontdesk_rel_<random>}) on the shared server at 127.0.0.1:5432
 * (trust auth, user {@code postgres}), dropped by {@link #close()}. When PostgreSQL does not answer the
 * test is skipped with a message, or fails when {@code FRONTDESK_REQUIRE_POSTGRES=true} (as in jdbc-store's
 * {@code TestDatabase}). Queries open a connection of their own each time, straight to 5432.
 */
final class ReliabilityDb implements AutoCloseable {
    static final String PG_HOST = System.getenv().getOrDefault("FRONTDESK_PG_HOST", "127.0.0.1");
    static final int PG_PORT = Integer.parseInt(System.getenv().getOrDefault("FRONTDESK_PG_PORT", "5432"));
    static final String USER = "postgres";

    final String name;

    private ReliabilityDb(String name) {
        this.name = name;
    }

    static ReliabilityDb create() {
        requirePostgres();
        String name = "frontdesk_rel_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url("test"), USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return new ReliabilityDb(name);
    }

    static String url(String database) {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database;
    }

    /** The JDBC URL of this database through {@code 127.0.0.1:port} (a {@link TcpProxy}, say). */
    String urlVia(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    String url() {
        return url(name);
    }

    static void requirePostgres() {
        String problem = null;
        try (Connection c = DriverManager.getConnection(url("test") + "?connectTimeout=3", USER, "")) {
            c.isValid(3);
        } catch (SQLException e) {
            problem = e.getMessage();
        }
        if (problem == null) {
            return;
        }
        String message = "PostgreSQL is not reachable at " + url("test") + " as " + USER + " (" + problem + ")";
        if ("true".equalsIgnoreCase(System.getenv("FRONTDESK_REQUIRE_POSTGRES"))) {
            fail(message + "; FRONTDESK_REQUIRE_POSTGRES=true makes this a failure");
        }
        Assumptions.abort(message + "; skipping the reliability tests (set FRONTDESK_REQUIRE_POSTGRES=true to fail instead)");
    }

    long count(String sql) {
        try (Connection c = DriverManager.getConnection(url(), USER, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    List<String> strings(String sql) {
        try (Connection c = DriverManager.getConnection(url(), USER, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(url("test"), USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop database " + name, e);
        }
    }
}
