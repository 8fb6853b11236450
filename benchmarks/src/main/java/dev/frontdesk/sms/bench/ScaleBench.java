package dev.frontdesk.sms.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.servlet.FrontDeskServlet;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.flywaydb.core.Flyway;

/**
 * The scale benchmark of issue 19: PostgreSQL seeded with {@code generate_series} to each size (10 messages and 3 AI
 * calls per lead, spread over the last 28 days), then the front desk's servlet in an embedded Jetty (the bench
 * server's settings, mocks for the AI and Twilio, in this JVM) answers, per size, medians of {@code bench.requests}
 * requests of: the leads list, 30 days of usage, the status page with a monthly budget (the budget check of this
 * calendar month), the month-end budget read itself ({@code UsageLedger.countsBetween} over the last 30 days, as the
 * check runs on the month's last day), the dashboard's leads-page request, and the webhook's acknowledgement p99
 * (signed inbound posts, open loop) against the empty database of the same run. The seed stops at schema version 8,
 * so version 9's back-fill runs on the seeded rows, timed.
 *
 * <p>Properties: {@code bench.sizes} (1000,100000,300000), {@code bench.requests} (20), {@code bench.ackRate} (100 a
 * second), {@code bench.ackCount} (1000), {@code bench.pg} (jdbc:postgresql://127.0.0.1:5432/), {@code bench.db}
 * (frontdesk_scale_bench; created and dropped for each size), {@code bench.out} (a file for the table; none: printed only).
 */
public final class ScaleBench {

    static final String TOKEN = "scale-token";
    static final String KEY = "bench-key";

    /** One size's figures (milliseconds). */
    record Row(int leads, long messages, long aiCalls, double backfillMs, double leadsMs, double usageMs, double statusMs,
               double budgetMonthEndMs, double refreshMs, int refreshRequests, double ackP99Ms, int ackErrors,
               long usageInbound, long usageOutbound) {
    }

    private final String pg;
    private final String db;
    private final int requests;
    private final double ackRate;
    private final int ackCount;

    ScaleBench(String pg, String db, int requests, double ackRate, int ackCount) {
        this.pg = pg;
        this.db = db;
        this.requests = requests;
        this.ackRate = ackRate;
        this.ackCount = ackCount;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : System.getProperty("bench.sizes", "1000,100000,300000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        ScaleBench bench = new ScaleBench(System.getProperty("bench.pg", "jdbc:postgresql://127.0.0.1:5432/"),
                System.getProperty("bench.db", "frontdesk_scale_bench"), Integer.getInteger("bench.requests", 20),
                Double.parseDouble(System.getProperty("bench.ackRate", "100")), Integer.getInteger("bench.ackCount", 1000));
        List<Row> rows = bench.run(sizes);
        String table = table(rows);
        System.out.println(table);
        String out = System.getProperty("bench.out");
        if (out != null) {
            Files.writeString(Path.of(out), table);
        }
    }

    /** The empty database first (the webhook's reference), then each size. */
    List<Row> run(List<Integer> sizes) throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.add(measure(0));
        for (int n : sizes) {
            rows.add(measure(n));
        }
        return rows;
    }

    Row measure(int leads) throws Exception {
        log("size " + leads + ": seeding");
        admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        admin("CREATE DATABASE " + db);
        String url = pg + db + "?user=postgres";
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("scale-db");
        hc.setJdbcUrl(url);
        hc.setMaximumPoolSize(10);
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            Flyway.configure().dataSource(pool).locations(JdbcLeadRepository.MIGRATIONS_LOCATION)
                    .table(JdbcLeadRepository.SCHEMA_HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0")
                    .target("8").load().migrate();
            Instant now = Instant.now();
            seed(pool, leads, now);
            long t0 = System.nanoTime();
            JdbcLeadRepository repository = JdbcLeadRepository.create(pool); // version 9: the back-fill
            double backfillMs = (System.nanoTime() - t0) / 1e6;
            return serve(pool, repository, leads, now, backfillMs);
        } finally {
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    /**
     * Leads, 10 messages each (inbound and outbound in turn, every one sent), 3 AI calls each, in the last 28 days. The
     * messages and AI calls are written in the order of their {@code created_at}, as a webhook and the reply path write
     * them (inserted lead by lead, each of the live half hour's rows sat on a page of its own, and the budget check's
     * live count read ~1,200 pages at 300k leads instead of ~40), then vacuumed as autovacuum would after the inserts.
     */
    static void seed(HikariDataSource pool, int leads, Instant now) throws SQLException {
        if (leads == 0) {
            return;
        }
        String at = "TIMESTAMP WITH TIME ZONE '" + now + "'";
        // a lead's latest activity: spread over 28 days; its messages a minute apart before it
        String last = at + " - ((i::bigint * 7919) % 2419200) * INTERVAL '1 second'";
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO leads (id, phone_number, source, created_at, sms_enabled, last_sms_at, sms_opt_out,"
                    + " last_message_direction) SELECT i, '+1554' || LPAD(i::text, 7, '0'), 'sms', " + last
                    + " - INTERVAL '10 minutes', TRUE, " + last + ", FALSE, 'outbound' FROM generate_series(1, " + leads + ") i");
            s.execute("INSERT INTO messages (id, lead_id, twilio_sid, direction, from_number, to_number, body, status,"
                    + " num_segments, sent_at, created_at) SELECT (i - 1) * 10 + k + 1, i,"
                    + " 'SM' || LPAD(TO_HEX((i - 1) * 10 + k + 1), 32, '0'), CASE WHEN k % 2 = 0 THEN 'inbound' ELSE 'outbound' END,"
                    + " '+1554' || LPAD(i::text, 7, '0'), '+15559876543', 'Seeded text number ' || k,"
                    + " CASE WHEN k % 2 = 0 THEN 'received' ELSE 'delivered' END, 1 + k % 3, NULL,"
                    + " " + last + " - (9 - k) * INTERVAL '1 minute'"
                    + " FROM generate_series(1, " + leads + ") i, generate_series(0, 9) k ORDER BY 11");
            s.execute("INSERT INTO ai_calls (lead_id, model, outcome, prompt_tokens, completion_tokens, latency_ms, created_at)"
                    + " SELECT i, 'gpt-4o-mini', 'ok', 800, 60, 900, " + last + " - (9 - k) * INTERVAL '1 minute'"
                    + " FROM generate_series(1, " + leads + ") i, generate_series(1, 5, 2) k ORDER BY 7");
            s.execute("ALTER TABLE leads ALTER COLUMN id RESTART WITH " + (leads + 1));
            s.execute("ALTER TABLE messages ALTER COLUMN id RESTART WITH " + (leads * 10L + 1));
            s.execute("VACUUM ANALYZE"); // what autovacuum does after this many inserts: the visibility map set, statistics
            // the seed's dirty pages written now, as a server that grew to this size over months has them, rather than by
            // the checkpointer while the webhook's tail is measured
            s.execute("CHECKPOINT");
        }
    }

    private Row serve(HikariDataSource pool, JdbcLeadRepository repository, int leads, Instant now, double backfillMs)
            throws Exception {
        FrontDeskConfig config = FrontDeskConfig.builder()
                .publicBaseUrl("http://localhost:0")
                .twilioTestMode(false)
                .aiRepliesPerLeadPerHour(Integer.MAX_VALUE)
                .aiRepliesPerHour(Integer.MAX_VALUE)
                .autoRepliesPerHour(Integer.MAX_VALUE)
                .monthlyBudget(new BigDecimal("1000000"))
                .businessName("Bench Plumbing")
                .build();
        AtomicLong sids = new AtomicLong();
        String sidPrefix = "SM" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        SmsGateway twilio = new SmsGateway() {
            @Override
            public SendResult send(dev.frontdesk.sms.OutboundSms sms) {
                return new SendResult(sidPrefix + String.format("%024x", sids.incrementAndGet()), MessageStatus.QUEUED, 1, sms.from());
            }

            @Override
            public boolean isVerified(PhoneNumber number) {
                return true;
            }
        };
        ReplyGenerator ai = request -> "Thanks, a plumber can come by tomorrow morning. What is your address?";
        Server server = BenchServer.jetty(0);
        try (FrontDesk frontDesk = FrontDesk.builder().config(config).repository(repository).gateway(twilio).replyGenerator(ai)
                .workers(2).lease(Duration.ofSeconds(30)).build()) {
            int port = ((org.eclipse.jetty.server.ServerConnector) server.getConnectors()[0]).getLocalPort();
            ServletContextHandler context = new ServletContextHandler("/");
            context.setMaxFormContentSize(64 * 1024);
            context.addServlet(new ServletHolder("frontdesk-api", FrontDeskServlet.builder(frontDesk)
                    .apiKey(KEY).publicBaseUrl("http://localhost:" + port).signingToken(TOKEN).build()), "/");
            server.setHandler(context);
            frontDesk.start();
            server.start();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://localhost:" + port;
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            log("size " + leads + ": measuring");
            double leadsMs = median(() -> get(http, base + "/api/leads?limit=100"));
            String usageUrl = base + "/api/usage?from=" + today.minusDays(29) + "&to=" + today;
            double usageMs = median(() -> get(http, usageUrl));
            String usage = get(http, usageUrl);
            double statusMs = median(() -> get(http, base + "/api/twilio/status"));
            double monthEndMs = median(() -> {
                Instant at = Instant.now();
                repository.usage().countsBetween(List.of(at.minus(Duration.ofDays(30)), at.plusMillis(1)), at);
            });
            // a refresh of the dashboard's leads page is this one request (its 50 rows with lastMessage; the request count
            // is measured in the browser by the examples module's DashboardRefreshCostTest)
            double refreshMs = median(() -> get(http, base + "/api/leads?limit=50"));
            // a warm-up at the same rate, not measured: the first size would otherwise time the JIT and the pool's first
            // connections, and every other size's ratio would be read against that cold figure
            int warmUp = Math.min(ackCount, 300);
            LoadGen.open(port, LoadGen.sign(port, "/api/twilio/sms/inbound", TOKEN, warmUp), ackRate, warmUp, 8);
            LoadGen.Requests posts = LoadGen.sign(port, "/api/twilio/sms/inbound", TOKEN, ackCount);
            LoadGen.Result acks = LoadGen.open(port, posts, ackRate, ackCount, 8);
            return new Row(leads, leads * 10L, leads * 3L, backfillMs, leadsMs, usageMs, statusMs, monthEndMs, refreshMs, 1,
                    acks.pctMs(99), acks.errors(),
                    total(usage, "inbound"), total(usage, "outbound"));
        } finally {
            server.stop();
        }
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** Three warm-ups, then the median of {@link #requests} timed calls, in milliseconds. */
    private double median(Call call) throws Exception {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            call.run();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        return Suite.median(ms);
    }

    /** A staff GET that must answer 200. */
    static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY)
                .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** A count from the totals of a {@code GET /api/usage} answer. */
    static long total(String usageJson, String field) {
        Matcher m = Pattern.compile("\"totals\":\\{[^}]*\"" + field + "\":(\\d+)").matcher(usageJson);
        if (!m.find()) {
            throw new IllegalStateException("no totals." + field + " in " + usageJson);
        }
        return Long.parseLong(m.group(1));
    }

    /** The Markdown table: one row per size, the webhook's p99 also as a ratio to the empty database. */
    static String table(List<Row> rows) {
        double emptyAck = rows.get(0).ackP99Ms();
        StringBuilder t = new StringBuilder();
        t.append("| leads (messages, AI calls) | V9 back-fill | `GET /api/leads?limit=100` p50 | `GET /api/usage` (30 days) p50"
                + " | status page with budget p50 | month-end budget read p50 | leads-page refresh | webhook ack p99 (x empty) |\n");
        t.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            t.append(String.format(Locale.ROOT, "| %,d (%,d, %,d) | %.0f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d request, %.1f ms"
                            + " | %.1f ms (%.2fx)%s |\n", r.leads(), r.messages(), r.aiCalls(), r.backfillMs(), r.leadsMs(),
                    r.usageMs(), r.statusMs(), r.budgetMonthEndMs(), r.refreshRequests(), r.refreshMs(), r.ackP99Ms(),
                    r.ackP99Ms() / emptyAck, r.ackErrors() > 0 ? ", " + r.ackErrors() + " errors" : ""));
        }
        return t.toString();
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg + "postgres?user=postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void log(String line) {
        System.err.println("[scale] " + line);
    }
}
