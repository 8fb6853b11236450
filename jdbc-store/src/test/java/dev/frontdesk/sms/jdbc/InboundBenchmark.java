package dev.frontdesk.sms.jdbc;

import dev.frontdesk.sms.TestSids;
import static dev.frontdesk.sms.jdbc.Fixtures.T0;
import static dev.frontdesk.sms.jdbc.Fixtures.inbound;
import static dev.frontdesk.sms.jdbc.Fixtures.phone;

import com.zaxxer.hikari.HikariDataSource;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the inbound transaction ({@code recordInbound}: lead find-or-create and update, message
 * insert, reply-job insert, in one transaction) next to a baseline of one plain JDBC {@code INSERT} of a
 * message row in auto-commit, through the same pool in the same run. Tagged {@code benchmark}: not part
 * of the normal build; run with {@code mvn -B -pl jdbc-store -am verify -Pbenchmark}. Prints a Markdown
 * table and writes it to {@code jdbc-store/target/benchmark.md}. Measures; asserts nothing.
 */
@Tag("benchmark")
class InboundBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final long WARMUP_MS = Long.getLong("bench.warmupMs", 1_000);
    private static final long MEASURE_MS = Long.getLong("bench.measureMs", 3_000);
    private static final int[] CONNECTIONS = {1, 8};
    private static final AtomicLong SEQ = new AtomicLong();

    @Test
    void inboundTransactionAgainstPlainInsert() throws Exception {
        Map<String, List<double[]>> results = new LinkedHashMap<>(); // key -> per round {inbound, baseline}
        StringBuilder versions = new StringBuilder();
        List<TestDatabase.Kind> kinds = Arrays.stream(System.getProperty("bench.kinds", "H2_FILE,POSTGRES").split(","))
                .map(String::strip).map(TestDatabase.Kind::valueOf).toList();
        for (TestDatabase.Kind kind : kinds) {
            try (TestDatabase db = TestDatabase.of(kind)) {
                JdbcLeadRepository.migrate(db.dataSource());
                try (Connection c = db.dataSource().getConnection()) {
                    versions.append(kind).append(": ").append(c.getMetaData().getDatabaseProductName()).append(' ')
                            .append(c.getMetaData().getDatabaseProductVersion()).append("; ");
                }
                for (int round = 0; round < ROUNDS; round++) {
                    for (int connections : CONNECTIONS) {
                        try (HikariDataSource pool = db.newPool(connections)) {
                            JdbcLeadRepository repo = JdbcLeadRepository.builder(pool).migrate(false).build();
                            long leadId = repo.leads().findOrCreateLead(phone(9_999_999), Lead.SOURCE_SMS, T0).id();
                            // alternate which goes first, so neither always runs on the warmer database
                            double inbound;
                            double baseline;
                            if (round % 2 == 0) {
                                baseline = measure(connections, () -> plainInsert(pool, leadId));
                                inbound = measure(connections, () -> inboundTx(repo));
                            } else {
                                inbound = measure(connections, () -> inboundTx(repo));
                                baseline = measure(connections, () -> plainInsert(pool, leadId));
                            }
                            results.computeIfAbsent(kind + " x" + connections, k -> new ArrayList<>())
                                    .add(new double[] {inbound, baseline});
                        }
                    }
                }
            }
        }
        String report = report(results, versions.toString());
        System.out.println(report);
        Path out = Path.of("target", "benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static void inboundTx(JdbcLeadRepository repo) {
        long n = SEQ.incrementAndGet();
        // 1 in 4 messages comes from a number not seen before; the rest from 500 regular customers
        int customer = n % 4 == 0 ? (int) (1_000_000 + n) : (int) (n % 500);
        repo.recordInbound(inbound(TestSids.sms("bench" + n), phone(customer), "Hi, my sink is leaking, can someone come today?"),
                Keyword.NONE, T0.plusMillis(n));
    }

    private static void plainInsert(DataSource pool, long leadId) {
        long n = SEQ.incrementAndGet();
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO messages (lead_id, twilio_sid, direction, from_number,"
                     + " to_number, body, status, num_segments, created_at) VALUES (?, ?, 'inbound', ?, ?, ?, 'received', 1, ?)")) {
            ps.setLong(1, leadId);
            ps.setString(2, "SMbase" + n);
            ps.setString(3, phone(9_999_999).value());
            ps.setString(4, Fixtures.BUSINESS);
            ps.setString(5, "Hi, my sink is leaking, can someone come today?");
            ps.setObject(6, OffsetDateTime.ofInstant(T0.plusMillis(n), ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Operations per second over {@link #MEASURE_MS} after {@link #WARMUP_MS}, on {@code threads} threads. */
    private static double measure(int threads, Runnable op) throws Exception {
        run(threads, op, WARMUP_MS);
        return run(threads, op, MEASURE_MS) * 1000.0 / MEASURE_MS;
    }

    private static long run(int threads, Runnable op, long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong done = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    while (!stop.get()) {
                        op.run();
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            Thread.sleep(millis); // the measured interval itself, not a wait for a result
            stop.set(true);
            long count = done.get();
            for (Future<?> f : futures) {
                f.get();
            }
            return count;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String report(Map<String, List<double[]>> results, String versions) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Run %s; %d rounds x (%d ms warm-up + %d ms measured) per cell%n",
                Instant.now(), ROUNDS, WARMUP_MS, MEASURE_MS));
        sb.append(String.format(Locale.ROOT, "Machine: %d CPU cores, %.1f GiB RAM, Java %s (%s), %s %s; %s%n%n",
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"), versions));
        sb.append("| database x connections | inbound tx/s median (min-max) | plain INSERT/s median (min-max) | ratio median (min-max) |\n");
        sb.append("| --- | --- | --- | --- |\n");
        results.forEach((key, rounds) -> {
            double[] in = rounds.stream().mapToDouble(r -> r[0]).toArray();
            double[] base = rounds.stream().mapToDouble(r -> r[1]).toArray();
            double[] ratio = rounds.stream().mapToDouble(r -> r[1] / r[0]).toArray();
            sb.append(String.format(Locale.ROOT, "| %s | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) | %.2f (%.2f-%.2f) |%n", key,
                    median(in), min(in), max(in), median(base), min(base), max(base), median(ratio), min(ratio), max(ratio)));
        });
        sb.append("\nratio = plain INSERTs per second / inbound transactions per second, measured in the same round.\n");
        sb.append("\nPer round (inbound tx/s, plain INSERT/s):\n\n");
        results.forEach((key, rounds) -> {
            sb.append("- ").append(key).append(':');
            rounds.forEach(r -> sb.append(String.format(Locale.ROOT, " %.0f/%.0f", r[0], r[1])));
            sb.append('\n');
        });
        return sb.toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
