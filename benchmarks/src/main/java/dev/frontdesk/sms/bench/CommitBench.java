package dev.frontdesk.sms.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Database commits and row writes per answered text, and idle commits per second, of one front desk on
 * PostgreSQL, read from {@code pg_stat_database} of a database of its own (so that nothing else running on the
 * server counts).
 *
 * <p>One {@link FrontDesk} over {@link JdbcLeadRepository} (HikariCP, 10 connections, the default 2 workers and
 * poll interval), a generator and a gateway that answer at once. First {@code texts} customers text once each
 * and are answered (they are now returning customers); then, after a quiet spell, the idle rate is read over
 * {@code idleSeconds}; then each customer texts again, one text at a time, each answered (sent) before the
 * next arrives. Commits and row writes ({@code tup_inserted + tup_updated + tup_deleted}) over that window, less
 * the idle rate times the window's length, divided by the texts, are the figures per answered text; the
 * webhook's own transaction ({@link FrontDesk#receiveInbound}) is included.
 *
 * <p>PostgreSQL publishes a backend's counters when it goes idle, but at most once a second and otherwise
 * within ten seconds, so every reading follows {@code settleSeconds} (default 12) in which the counted work
 * has finished. The counters are read over a connection to database {@code postgres}, whose own
 * transactions do not count, and autovacuum is off for the benchmark's tables (its transactions would).
 *
 * <p>Usage: {@code java -cp frontdesk-benchmarks.jar dev.frontdesk.sms.bench.CommitBench} with
 * {@code -Dbench.texts=40 -Dbench.idleSeconds=30 -Dbench.settleSeconds=12
 * -Dbench.pg=jdbc:postgresql://127.0.0.1:5432/ -Dbench.listen=true} (user {@code postgres}, trust); prints a Markdown table.
 */
public final class CommitBench {

    private static final String DATABASE = "frontdesk_commit_bench";

    private CommitBench() {
    }

    record Counters(long commits, long rollbacks, long writes, Instant at) {
        Counters minus(Counters o) {
            return new Counters(commits - o.commits, rollbacks - o.rollbacks, writes - o.writes, at);
        }
    }

    public static void main(String[] args) throws Exception {
        int texts = Integer.getInteger("bench.texts", 40);
        int idleSeconds = Integer.getInteger("bench.idleSeconds", 30);
        int settleSeconds = Integer.getInteger("bench.settleSeconds", 12);
        String server = System.getProperty("bench.pg", "jdbc:postgresql://127.0.0.1:5432/");
        String user = System.getProperty("bench.user", "postgres");
        boolean listen = Boolean.parseBoolean(System.getProperty("bench.listen", "true"));

        try (Connection admin = DriverManager.getConnection(server + "postgres", user, "");
             Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
            if (Boolean.getBoolean("bench.logStatements")) {
                // every statement of the benchmark's database in the server's log, to count what each commit was
                s.execute("ALTER DATABASE " + DATABASE + " SET log_statement = 'all'");
            }
        }
        String url = server + DATABASE;
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("frontdesk-db");
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setMaximumPoolSize(10);
        HikariDataSource pool = new HikariDataSource(hc);
        PGSimpleDataSource unpooled = new PGSimpleDataSource();
        unpooled.setUrl(url);
        unpooled.setUser(user);

        Semaphore sent = new Semaphore(0);
        AtomicLong sids = new AtomicLong();
        String sidPrefix = "SM" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        SmsGateway gateway = new SmsGateway() {
            @Override
            public SendResult send(OutboundSms sms) {
                sent.release();
                return new SendResult(sidPrefix + String.format("%024x", sids.incrementAndGet()), MessageStatus.QUEUED, 1, sms.from());
            }

            @Override
            public boolean isVerified(PhoneNumber number) {
                return true;
            }
        };
        ReplyGenerator ai = request -> "Thanks, a plumber can come by tomorrow morning. What is your address?";
        FrontDeskConfig config = FrontDeskConfig.builder()
                .publicBaseUrl("http://localhost:8080")
                .twilioTestMode(false)
                .aiRepliesPerLeadPerHour(Integer.MAX_VALUE)
                .aiRepliesPerHour(Integer.MAX_VALUE)
                .businessName("Bench Plumbing")
                .build();
        // as the example app does on PostgreSQL: one listening connection of its own, apart from the pool
        JdbcLeadRepository repository = listen
                ? JdbcLeadRepository.builder(pool).listenDataSource(unpooled).build()
                : JdbcLeadRepository.create(pool);
        // Autovacuum's own transactions would count as the front desk's: it is off for the benchmark's tables.
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = c.createStatement().executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rs.next()) {
                s.execute("ALTER TABLE " + rs.getString(1) + " SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)");
            }
        }
        Instant started = Instant.now();
        String runTag = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (FrontDesk frontDesk = FrontDesk.builder().config(config).repository(repository).gateway(gateway)
                .replyGenerator(ai).build();
             Connection stats = DriverManager.getConnection(server + "postgres", user, "")) {
            frontDesk.start();
            // Every customer texts once and is answered: from now on they are returning customers.
            for (int i = 0; i < texts; i++) {
                frontDesk.receiveInbound(text(runTag, 0, i));
                await(sent, 1);
            }
            sleep(settleSeconds);
            Counters idleStart = read(stats);
            sleep(idleSeconds);
            Counters idleEnd = read(stats);
            Counters idle = idleEnd.minus(idleStart);
            double idleSpan = seconds(idleStart.at(), idleEnd.at());
            double idleCommitsPerSecond = idle.commits() / idleSpan;
            double idleWritesPerSecond = idle.writes() / idleSpan;

            Counters before = read(stats);
            for (int i = 0; i < texts; i++) {
                frontDesk.receiveInbound(text(runTag, 1, i));
                await(sent, 1);
            }
            sleep(settleSeconds);
            Counters after = read(stats);
            Counters work = after.minus(before);
            double span = seconds(before.at(), after.at());
            double commitsPerText = (work.commits() - idleCommitsPerSecond * span) / texts;
            double writesPerText = (work.writes() - idleWritesPerSecond * span) / texts;

            String machine = machine(stats);
            System.out.println();
            System.out.printf(Locale.ROOT, "Run of %s, %d texts from returning customers, idle %.1f s, window %.1f s, %s.%n",
                    started, texts, idleSpan, span, listen ? "store listening (listenDataSource)" : "store not listening");
            System.out.println();
            System.out.println("| figure | value |");
            System.out.println("| --- | --- |");
            System.out.printf(Locale.ROOT, "| commits per answered text (idle subtracted) | %.1f |%n", commitsPerText);
            System.out.printf(Locale.ROOT, "| row writes per answered text (idle subtracted) | %.1f |%n", writesPerText);
            System.out.printf(Locale.ROOT, "| idle commits per second | %.2f |%n", idleCommitsPerSecond);
            System.out.printf(Locale.ROOT, "| idle row writes per second | %.2f |%n", idleWritesPerSecond);
            System.out.printf(Locale.ROOT, "| commits per answered text, idle not subtracted | %.1f |%n", (double) work.commits() / texts);
            System.out.printf(Locale.ROOT, "| raw: commits / rollbacks / row writes over the %d texts | %d / %d / %d |%n",
                    texts, work.commits(), work.rollbacks(), work.writes());
            System.out.println();
            System.out.println("Machine: " + machine);
        } finally {
            pool.close();
            try (Connection admin = DriverManager.getConnection(server + "postgres", user, "");
                 Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            }
        }
    }

    private static String machine(Connection stats) throws Exception {
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ").replace("MemTotal: ", "").trim();
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        String pg;
        try (Statement s = stats.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            pg = rs.getString(1).split(" ")[0];
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem + " RAM, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", PostgreSQL " + pg
                + " (same machine); load average at the end " + Suite.loadavg();
    }

    private static InboundSms text(String runTag, int round, int customer) {
        Map<String, String> p = new LinkedHashMap<>();
        String sid = "SM" + runTag + String.format("%02x%018x", round, customer);
        p.put("MessageSid", sid);
        p.put("SmsMessageSid", sid);
        p.put("AccountSid", "AC" + "0".repeat(32));
        p.put("From", "+1555123" + String.format("%04d", customer));
        p.put("To", "+15559876543");
        p.put("Body", round == 0 ? "Hi, my sink is leaking" : "Is tomorrow morning possible?");
        p.put("NumMedia", "0");
        p.put("NumSegments", "1");
        return TwilioWebhooks.inboundSms(p, "US");
    }

    private static Counters read(Connection stats) throws SQLException {
        try (Statement clear = stats.createStatement()) {
            clear.execute("SELECT pg_stat_clear_snapshot()");
        }
        try (PreparedStatement ps = stats.prepareStatement("SELECT xact_commit, xact_rollback,"
                + " tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = ?")) {
            ps.setString(1, DATABASE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Counters(rs.getLong(1), rs.getLong(2), rs.getLong(3), Instant.now());
            }
        }
    }

    private static void await(Semaphore sent, int n) throws InterruptedException {
        if (!sent.tryAcquire(n, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no reply was sent within 30 s");
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static void sleep(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }
}
