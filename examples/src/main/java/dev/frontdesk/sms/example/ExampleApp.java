package dev.frontdesk.sms.example;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.events.EventWebhooks;
import dev.frontdesk.sms.servlet.FrontDeskServlet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example app, assembled: configuration, the JDBC store on a HikariCP pool, Twilio or the console
 * gateway, OpenAI or fallback replies, the front desk with its reply workers, and embedded Jetty serving
 * the API servlet and the dashboard at {@code /}. {@link #start} returns once the server listens;
 * {@link #close} stops it in reverse order. Thread-safe.
 */
final class ExampleApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExampleApp.class);

    /**
     * How long Jetty lets requests in flight finish when the app stops. It runs beside the reply workers'
     * shutdown ({@code REPLY_SHUTDOWN_SECONDS}, default 20 s), and the two together stay inside the 30 s grace
     * period orchestrators give before {@code SIGKILL}; webhooks take well under a second.
     */
    static final Duration HTTP_STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Server server;
    private final FrontDesk frontDesk;
    private final HikariDataSource dataSource;
    private final FrontDeskConfig config;
    private final ExampleSettings settings;
    private final String apiKey;
    private final int port;
    private boolean closed;

    private ExampleApp(Server server, FrontDesk frontDesk, HikariDataSource dataSource, FrontDeskConfig config, ExampleSettings settings,
                       String apiKey, int port) {
        this.server = server;
        this.frontDesk = frontDesk;
        this.dataSource = dataSource;
        this.config = config;
        this.settings = settings;
        this.apiKey = apiKey;
        this.port = port;
    }

    /**
     * Starts the app.
     *
     * @param env     the configuration variables (the real environment over {@code .env})
     * @param workDir where {@code data/} lives (the H2 database by default, the local secrets)
     * @throws dev.frontdesk.sms.ConfigurationException naming the variable when the configuration is wrong
     * @throws Exception when the database or the port cannot be opened
     */
    static ExampleApp start(Map<String, String> env, Path workDir) throws Exception {
        FrontDeskConfig fromEnv = AiProviders.withChoice(env, FrontDeskConfig.fromEnvironment(env));
        ExampleSettings settings = ExampleSettings.fromEnvironment(env);
        EventWebhooks events = EventWebhooks.fromEnvironment(env).orElse(null); // before the port is bound: it may throw
        Path dataDir = workDir.resolve("data").toAbsolutePath().normalize();
        LocalSecrets secrets = LocalSecrets.loadOrCreate(dataDir);
        boolean publicUrlSet = env.get("PUBLIC_BASE_URL") != null && !env.get("PUBLIC_BASE_URL").isBlank();

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        Server server = new Server(threads);
        server.setStopTimeout(HTTP_STOP_TIMEOUT.toMillis());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(16 * 1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        // A connection on which nothing moves for 20 s is closed. Slow request bodies hold no thread meanwhile:
        // the servlet reads them asynchronously and answers 408 after its 5 s body deadline.
        connector.setIdleTimeout(20_000);
        connector.setHost(bindAddress(env));
        connector.setPort(settings.port());
        connector.open(); // bind now, so PORT=0 gets its real port before the URLs are worked out
        int port = connector.getLocalPort();
        server.addConnector(connector);

        FrontDeskConfig.Builder cb = fromEnv.toBuilder();
        if (!publicUrlSet) {
            cb.publicBaseUrl("http://localhost:" + port);
        }
        if (settings.databaseUrl().equals(ExampleSettings.DEFAULT_DATABASE_URL)) {
            settings = settings.withDatabaseUrl("jdbc:h2:file:" + dataDir.resolve("frontdesk"));
        }
        String envKey = blankToNull(env.get("FRONTDESK_API_KEY"));
        String generatedKey = envKey == null ? secrets.apiKey() : null;
        String apiKey = envKey != null ? envKey : secrets.apiKey();
        String envToken = blankToNull(env.get("TWILIO_AUTH_TOKEN"));
        FrontDeskConfig config = cb.build();

        HikariDataSource dataSource = null;
        FrontDesk frontDesk = null;
        try {
            dataSource = pool(settings);
            LeadRepository repository = Components.repository(dataSource, listenDataSource(settings));
            DataDirectory.restrictFiles(dataDir); // the H2 files exist now
            SmsGateway gateway = Components.gateway(env, config);
            ReplyGenerator generator = AiProviders.generator(env, config);
            frontDesk = FrontDesk.builder().config(config).repository(repository).gateway(gateway).replyGenerator(generator)
                    .events(events)
                    .workers(intVar(env, "REPLY_WORKERS", 2, 1, 256))
                    .lease(Duration.ofSeconds(intVar(env, "REPLY_LEASE_SECONDS", 30, 1, 3600)))
                    .shutdownTimeout(Duration.ofSeconds(intVar(env, "REPLY_SHUTDOWN_SECONDS",
                            (int) FrontDesk.DEFAULT_SHUTDOWN_TIMEOUT.toSeconds(), 0, 3600)))
                    // The dashboard is served at / here, so an owner alert can link to the lead's page; a localhost
                    // URL would mean nothing on the owner's phone.
                    .ownerAlertLink(publicUrlSet ? config.twilio().publicBaseUrl() + "/#/leads/{id}" : null)
                    .build();

            FrontDeskServlet api = FrontDeskServlet.builder(frontDesk)
                    .apiKey(apiKey)
                    .publicBaseUrl(config.twilio().publicBaseUrl())
                    .signingToken(envToken != null ? envToken : secrets.signingToken())
                    .build();

            ServletContextHandler context = new ServletContextHandler("/");
            context.setMaxFormContentSize(64 * 1024);
            context.setErrorHandler(JsonErrors.forContext());
            ServletHolder apiHolder = new ServletHolder("frontdesk-api", api);
            apiHolder.setAsyncSupported(true); // request bodies are then read without holding a thread
            context.addServlet(apiHolder, "/");
            ServletHolder dashboard = new ServletHolder("dashboard", new DashboardServlet());
            context.addServlet(dashboard, "");
            context.addServlet(dashboard, "/index.html");
            context.addServlet(dashboard, "/assets/*");
            server.setErrorHandler(JsonErrors.forServer());
            server.setHandler(new GracefulHandler(context));

            frontDesk.start();
            server.start();
        } catch (Exception | Error e) {
            safeStop(server);
            connector.close();
            if (frontDesk != null) {
                frontDesk.close();
            }
            if (dataSource != null) {
                dataSource.close();
            }
            throw e;
        }
        ExampleApp app = new ExampleApp(server, frontDesk, dataSource, config, settings, apiKey, port);
        for (String line : StartupBanner.lines(config, generatedKey, app.localUrl(), StartupBanner.safeJdbcUrl(settings.databaseUrl()), publicUrlSet,
                port)) {
            log.info(line);
        }
        log.info(StartupBanner.events(events));
        log.info(StartupBanner.listening(app.bindHost(), port));
        return app;
    }

    /**
     * The pool. A webhook must be answered (503 if need be) well within a second even when the database
     * is gone, so a connection is waited for at most {@code connectTimeoutMs} (default 400 ms) and
     * checked within 399 ms; HikariCP replaces broken connections by itself once the database is back.
     */
    private static HikariDataSource pool(ExampleSettings config) {
        int connectTimeoutMs = config.databaseConnectTimeoutMs();
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("frontdesk-db");
        hc.setJdbcUrl(config.databaseUrl());
        if (config.databaseUser() != null) {
            hc.setUsername(config.databaseUser());
        }
        if (config.databasePassword() != null) {
            hc.setPassword(config.databasePassword());
        }
        hc.setMaximumPoolSize(10);
        hc.setConnectionTimeout(connectTimeoutMs);
        hc.setValidationTimeout(Math.max(250, connectTimeoutMs - 1));
        if (config.databaseUrl().startsWith("jdbc:postgresql:")) {
            // Fail a connection attempt to an unreachable server instead of waiting for the OS TCP timeout.
            hc.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, connectTimeoutMs / 1000)));
        }
        if (config.databaseUrl().startsWith("jdbc:h2:") && !config.databaseUrl().toUpperCase(Locale.ROOT).contains("QUERY_CACHE_SIZE")) {
            // H2 keeps 8 parsed statements per connection by default, fewer than the webhook and the reply
            // workers send on the same pooled connections, so it re-parsed them: 15% of a webhook's CPU (BENCHMARKS.md).
            hc.addDataSourceProperty("QUERY_CACHE_SIZE", "64");
        }
        return new HikariDataSource(hc);
    }

    /**
     * PostgreSQL: plain connections (not the pool) for the store's one listening connection, so that a reply job
     * enqueued by another instance wakes a worker here at once and idle workers poll only as a safety net;
     * null for other databases.
     */
    private static DataSource listenDataSource(ExampleSettings config) {
        if (!config.databaseUrl().startsWith("jdbc:postgresql:")) {
            return null;
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(config.databaseUrl());
        if (config.databaseUser() != null) {
            ds.setUser(config.databaseUser());
        }
        if (config.databasePassword() != null) {
            ds.setPassword(config.databasePassword());
        }
        return ds;
    }

    /**
     * {@code BIND_ADDRESS}: the address to listen on, {@code 127.0.0.1} (this machine only) by default;
     * {@code 0.0.0.0} serves other hosts.
     *
     * @throws ConfigurationException when it is not an address
     */
    static String bindAddress(Map<String, String> env) {
        String raw = env.get("BIND_ADDRESS");
        if (raw == null || raw.isBlank()) {
            return "127.0.0.1";
        }
        String v = raw.strip();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        try {
            if (!v.isEmpty() && v.matches("[A-Za-z0-9.:%\\-]+")) {
                InetAddress.getByName(v);
                return v;
            }
        } catch (UnknownHostException e) {
            // reported below
        }
        throw new ConfigurationException("BIND_ADDRESS must be an address of this machine such as 127.0.0.1 (this machine only) "
                + "or 0.0.0.0 (all interfaces), was '" + LogSafe.truncate(raw.strip(), 60) + "'.");
    }

    /** An integer variable within [min, max], or {@code dflt} when unset. */
    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    static int intVar(Map<String, String> env, String name, int dflt, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(name + " must be a whole number from " + min + " to " + max + ", was '" + raw.strip() + "'.");
    }

    /**
     * Where the dashboard answers on this machine: {@code http://localhost:<port>/}, or the bound address when the
     * app listens on one address that is neither loopback nor all interfaces.
     */
    String localUrl() {
        String host = bindHost();
        try {
            InetAddress a = InetAddress.getByName(host);
            if (!a.isLoopbackAddress() && !a.isAnyLocalAddress()) {
                return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
            }
        } catch (UnknownHostException e) {
            // fall back to localhost
        }
        return "http://localhost:" + port + "/";
    }

    /** The address the HTTP connector listens on, as given ({@code 127.0.0.1} by default). */
    String bindHost() {
        return ((ServerConnector) server.getConnectors()[0]).getHost();
    }

    int port() {
        return port;
    }

    String apiKey() {
        return apiKey;
    }

    FrontDeskConfig config() {
        return config;
    }

    /** The app's own settings (database, port), which the library never sees. */
    ExampleSettings settings() {
        return settings;
    }

    javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /** Blocks until the server stops. */
    void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops the app within {@link #HTTP_STOP_TIMEOUT} or {@code REPLY_SHUTDOWN_SECONDS}, whichever is longer (20 s
     * by default; the sum of the two, 25 s, is under the usual 30 s grace period anyway). Both start at once: the
     * reply workers stop claiming and give back the jobs still waiting for the AI (another instance takes them
     * over without waiting for a lease) while sends in flight finish, and Jetty stops taking requests and lets
     * those in flight finish. The database pool closes last, when both are done. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Shutting down: reply workers and HTTP server, then the database pool");
        Thread replies = new Thread(frontDesk::close, "frontdesk-replies-stop");
        replies.start();
        safeStop(server);
        try {
            replies.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dataSource.close();
        log.info("Stopped");
    }

    private static void safeStop(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "ExampleApp[" + localUrl() + "]";
    }
}
