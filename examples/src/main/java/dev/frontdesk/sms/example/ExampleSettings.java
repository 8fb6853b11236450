package dev.frontdesk.sms.example;

import dev.frontdesk.sms.internal.EnvReader;
import java.util.Map;

/**
 * The example app's own settings, which the library never sees: where the database is and how to log in
 * ({@code DATABASE_URL}, {@code DATABASE_USER}, {@code DATABASE_PASSWORD}), how long a webhook waits for a
 * connection ({@code DATABASE_CONNECT_TIMEOUT_MS}, 250 to 60,000, default 400) and the HTTP port ({@code PORT},
 * 0 to 65535, default 3001; 0 picks a free one). The password is shown by no {@link #toString()}.
 *
 * @param databaseUrl the JDBC URL; {@value #DEFAULT_DATABASE_URL} means the H2 file under {@code data/}
 */
record ExampleSettings(String databaseUrl, String databaseUser, String databasePassword, int databaseConnectTimeoutMs, int port) {

    static final String DEFAULT_DATABASE_URL = "jdbc:h2:file:./data/frontdesk";
    static final int DEFAULT_PORT = 3001;

    /** @throws dev.frontdesk.sms.ConfigurationException naming the variable when a value is malformed */
    static ExampleSettings fromEnvironment(Map<String, String> env) {
        EnvReader r = new EnvReader(env);
        return new ExampleSettings(r.getOr("DATABASE_URL", DEFAULT_DATABASE_URL), r.get("DATABASE_USER"), r.get("DATABASE_PASSWORD"),
                ExampleApp.intVar(env, "DATABASE_CONNECT_TIMEOUT_MS", 400, 250, 60_000), r.integer("PORT", DEFAULT_PORT, 0, 65535));
    }

    ExampleSettings withDatabaseUrl(String url) {
        return new ExampleSettings(url, databaseUser, databasePassword, databaseConnectTimeoutMs, port);
    }

    @Override
    public String toString() {
        return "ExampleSettings{databaseUrl=" + StartupBanner.safeJdbcUrl(databaseUrl) + ", databaseUser=" + databaseUser
                + ", databasePassword=" + (databasePassword == null ? "(unset)" : "(set)") + ", port=" + port + '}';
    }
}
