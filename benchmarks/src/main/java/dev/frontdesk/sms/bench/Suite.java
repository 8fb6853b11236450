package dev.frontdesk.sms.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs every benchmark of issue #8 and rewrites the results section of {@code BENCHMARKS.md}. This JVM is
 * the load generator; the server under test always runs in a JVM of its own.
 *
 * <p>Settings (system properties): {@code bench.seconds} (8) per point, {@code bench.runs} (3) per point,
 * {@code bench.parts} (ack,pipeline,memory,startup), {@code bench.dbs} (h2,pg), {@code bench.conns}
 * (1,8,32,128), {@code bench.jfr} (a file: record the FrontDesk server of the first database with JFR),
 * {@code bench.out} (BENCHMARKS.md), {@code bench.warmup} (6: seconds of each side's closed-loop warm-up before an
 * acknowledgement server is measured; FrontDesk's longer code path needs longer than the baseline's for the JIT),
 * {@code bench.h2Options} (appended to the H2 URLs, e.g. {@code ;CACHE_SIZE=65536}), {@code bench.jfrSettings} (the JFR
 * settings {@code bench.jfr} records with: {@code profile}, or {@code default}, which slows the server less). Besides {@code h2} (a file) and
 * {@code pg}, {@code bench.dbs} takes {@code h2mem}: H2 in memory, the same engine without its file store.
 */
public final class Suite {

    static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final String TOKEN = "bench-signing-token-0123456789abcdef";
    static final String BEGIN = "<!-- perf-results:begin (written by benchmarks/run.sh) -->";
    static final String END = "<!-- perf-results:end -->";

    final double seconds = Double.parseDouble(System.getProperty("bench.seconds", "8"));
    final int runs = Integer.getInteger("bench.runs", 3);
    final int warmup = Integer.getInteger("bench.warmup", 6);
    /** Settings appended to the H2 URLs of the servers under test ({@code bench.h2Options}, e.g. {@code ;CACHE_SIZE=65536}). */
    final String h2Options = System.getProperty("bench.h2Options", "");
    final List<String> parts = List.of(System.getProperty("bench.parts", "ack,pipeline,memory,startup").split(","));
    final List<String> dbs = List.of(System.getProperty("bench.dbs", "h2,pg").split(","));
    final int[] conns = Arrays.stream(System.getProperty("bench.conns", "1,8,32,128").split(",")).mapToInt(Integer::parseInt).toArray();
    final String jfr = System.getProperty("bench.jfr");
    final String jfrSettings = System.getProperty("bench.jfrSettings", "profile");
    /**
     * What the acknowledgement points compare FrontDesk with: {@code insert} (default; one plain INSERT) or {@code same-work}
     * ({@link SameWorkBaseline}: signature, lead, message, reply job in one transaction, plain JDBC).
     */
    final String baseline = System.getProperty("bench.baseline", "insert");
    /** Whether the baseline is {@link SameWorkBaseline}, which is also run at the half-load rate for its tail. */
    final boolean sameWork = !baseline.equals("insert");
    final String baselinePath = switch (baseline) {
        case "insert" -> "/baseline";
        case "same-work" -> SameWorkBaseline.PATH;
        default -> throw new IllegalArgumentException("bench.baseline is insert or same-work, not " + baseline);
    };
    /** Extra JVM options for the servers under test, space-separated (e.g. a GC setting to compare). */
    final List<String> serverJvm = System.getProperty("bench.serverJvm", "").isBlank() ? List.of()
            : List.of(System.getProperty("bench.serverJvm").trim().split("\\s+"));
    final Path out = Path.of(System.getProperty("bench.out", "BENCHMARKS.md"));
    /**
     * The bench servers' SLF4J binding ({@code bench.logging}): {@code simple}, the example app's slf4j-simple (each line
     * written to System.err under one lock, on the request's thread), or {@code async}, Logback through an
     * AsyncAppender ({@code bench-logback-async.xml}: one thread writes, nothing dropped).
     */
    final String logging = System.getProperty("bench.logging", "simple");
    final Path work;
    final StringBuilder md = new StringBuilder();
    final String pgDb = "frontdesk_bench_" + ProcessHandle.current().pid();
    final List<String> pgDatabases = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** JVM options of the second server in the garbage-collector comparison; empty: no comparison. */
    final List<String> compareJvm = System.getProperty("bench.compareJvm", "-XX:+UseZGC").isBlank() ? List.of()
            : List.of(System.getProperty("bench.compareJvm", "-XX:+UseZGC").trim().split("\\s+"));

    static final List<Process> CHILDREN = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Suite() throws IOException {
        work = Files.createTempDirectory("frontdesk-bench");
        // interrupted (Ctrl-C, kill): stop the servers this suite started and drop its database
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            CHILDREN.forEach(Process::destroy);
            dropPg();
        }));
    }

    public static void main(String[] args) throws Exception {
        new Suite().run(String.join(" ", args));
    }

    private void run(String command) throws Exception {
        Instant started = Instant.now();
        log("work dir " + work);
        header(command, started);
        try {
            if (parts.contains("ack")) {
                for (String db : dbs) {
                    ack(db);
                }
            }
            if (parts.contains("pipeline")) {
                pipeline();
            }
            if (parts.contains("memory")) {
                memory();
            }
            if (parts.contains("startup")) {
                startup();
            }
        } finally {
            dropPg();
        }
        md.append("\nWhole suite: ").append(Math.round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0))
                .append(" s; load average at the end: ").append(loadavg()).append(".\n");
        if (!LoadGen.ERRORS.isEmpty()) {
            md.append("\nErrors seen by the load generator: ").append(LoadGen.ERRORS).append(".\n");
        }
        write();
    }

    // ------------------------------------------------------------------------------------- machine

    private void header(String command, Instant started) throws Exception {
        md.append("## Results (").append(DateTimeFormatter.ISO_INSTANT.format(started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                .append(")\n\n");
        md.append("Command: `").append(command.isBlank() ? "bash benchmarks/run.sh" : command).append("` (settings: ")
                .append((long) seconds).append(" s per point, ").append(runs).append(" runs per point, ").append(warmup)
                .append(" s of closed-loop warm-up of each side before the acknowledgement points).\n\n");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(cpuModel()).append("), ").append(mem.replace("MemTotal: ", "").trim()).append(" RAM, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(", ").append(pgVersion()).append(". Load average at start: ").append(loadavg())
                .append(" (the machine is shared; every point lists the 1-minute load average when it started).\n")
                .append("\nTraffic of the acknowledgement points: ").append(fmt(100 * LoadGen.NEW_SHARE, 0))
                .append("% of the texts from numbers never seen before, the rest from 500 returning customers.\n")
                .append("\nLogging of the bench servers (`-Dbench.logging=").append(logging).append("`): ")
                .append(logging.equals("async") ? "Logback through an AsyncAppender to standard output (one writer thread, nothing dropped)"
                        : "slf4j-simple, as the example app binds it (each line written under one lock on the request's thread)")
                .append("; FrontDesk logs its `📱 Incoming SMS` line per text, the baseline nothing.\n");
        if (!h2Options.isBlank()) {
            md.append("\nH2 URLs of the servers under test end in `").append(h2Options).append("` (`-Dbench.h2Options`).\n");
        }
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static String pgVersion() {
        try (Connection c = DriverManager.getConnection(PG_ADMIN); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1).split(" ")[0];
        } catch (SQLException e) {
            return "PostgreSQL unreachable";
        }
    }

    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static double load1() {
        return Double.parseDouble(loadavg().split(" ")[0]);
    }

    // ------------------------------------------------------------------------------------- 1. ack

    private void ack(String db) throws Exception {
        String url = jdbcUrl(db, "ack");
        String label = switch (db) {
            case "h2" -> "H2 file";
            case "h2mem" -> "H2 in memory";
            default -> "PostgreSQL";
        };
        log("ack on " + label);
        List<String> jvm = new ArrayList<>(serverJvm);
        boolean profile = jfr != null && db.equals(dbs.get(0));
        if (profile) {
            jvm.add("-XX:FlightRecorderOptions=stackdepth=256");
        }
        try (Server s = Server.start(this, "ack-" + db, jvm, url, 2, 1000, 50)) {
            // warm-up: JIT, pool, caches
            for (int done = 0; done < warmup; done += 6) { // in turns of 6 s, each with texts signed afresh
                int turn = Math.min(6, warmup - done);
                LoadGen.closed(s.port, LoadGen.sign(s.port, "/api/twilio/sms/inbound", TOKEN, 40_000), 8, turn);
                LoadGen.closed(s.port, LoadGen.sign(s.port, baselinePath, TOKEN, 40_000), 8, sameWork ? turn : 3);
            }
            boolean profiling = profile;
            if (profiling) {
                // recorded after the warm-up, so class loading and JIT do not crowd the profile
                log(jcmd(s.process.pid(), "JFR.start name=bench settings=" + jfrSettings + " filename=" + jfr).trim());
            }

            md.append("\n### 1. Webhook acknowledgement on ").append(label).append("\n\n");
            md.append("Closed loop (each connection sends its next webhook when the answer to the last one arrives). Each run is ")
                    .append((long) seconds).append(" one-second slices of FrontDesk and as many of the baseline, taking turns (ABBA ABBA…) ")
                    .append("so that both meet the same machine; ").append(runs).append(" runs; median (min–max). ")
                    .append("`FrontDesk` = signed `POST /api/twilio/sms/inbound` through the real servlet (signature, one ")
                    .append("transaction, empty TwiML); `baseline` = the same request to ")
                    .append(baseline.equals("insert") ? "a bare servlet doing one plain JDBC INSERT"
                            : "`" + SameWorkBaseline.PATH + "`, the same work in tight plain JDBC (Twilio's `RequestValidator`, lead "
                            + "update or insert, message, reply job, one transaction)")
                    .append(". Same Jetty, same HikariCP pool (10), same run; the ratio is taken run by run.\n\n");
            md.append("| connections | load avg | FrontDesk req/s | baseline req/s | ratio | p50 ms | p99 ms | p99.9 ms | baseline p50 / p99 / p99.9 ms | errors |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
            double saturating = 0;
            StringBuilder cpuRows = new StringBuilder();
            for (int c : conns) {
                List<LoadGen.Result> app = new ArrayList<>();
                List<LoadGen.Result> base = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                String la = loadavg().split(" ")[0];
                List<Double> cpuApp = new ArrayList<>();
                List<Double> cpuBase = new ArrayList<>();
                List<Double> machineApp = new ArrayList<>();
                List<Double> machineBase = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    // One run = 1-second slices of FrontDesk and baseline taking turns (ABBA...), so both see the
                    // same machine even when its speed drifts within a run (a shared host's neighbours come and go).
                    Interleaved run = interleaved(s, c);
                    LoadGen.Result a = run.app.result();
                    LoadGen.Result b = run.base.result();
                    app.add(a);
                    base.add(b);
                    ratios.add(a.rps() / b.rps());
                    cpuApp.add(run.app.serverCpuMicrosPerRequest());
                    cpuBase.add(run.base.serverCpuMicrosPerRequest());
                    machineApp.add(run.app.machineCpuMicrosPerRequest());
                    machineBase.add(run.base.machineCpuMicrosPerRequest());
                    log(String.format(Locale.ROOT, "  %s x%d run %d: app %.0f/s p99 %.1f ms %.0f us cpu, baseline %.0f/s %.0f us cpu, load %s",
                            db, c, r, a.rps(), a.pctMs(99), cpuApp.get(r), b.rps(), cpuBase.get(r), loadavg()));
                }
                cpuRows.append("| ").append(c).append(" | ").append(spreadD(cpuApp, 0)).append(" | ").append(spreadD(cpuBase, 0))
                        .append(" | ").append(spreadD(ratioOf(cpuBase, cpuApp), 2)).append(" | ").append(spreadD(machineApp, 0))
                        .append(" | ").append(spreadD(machineBase, 0)).append(" | ").append(spreadD(ratioOf(machineBase, machineApp), 2))
                        .append(" |\n");
                double med = median(app, LoadGen.Result::rps);
                saturating = Math.max(saturating, med);
                int errors = app.stream().mapToInt(LoadGen.Result::errors).sum() + base.stream().mapToInt(LoadGen.Result::errors).sum();
                md.append("| ").append(c).append(" | ").append(la).append(" | ").append(spread(app, LoadGen.Result::rps, 0))
                        .append(" | ").append(spread(base, LoadGen.Result::rps, 0))
                        .append(" | ").append(spreadD(ratios, 2))
                        .append(" | ").append(spread(app, x -> x.pctMs(50), 1))
                        .append(" | ").append(spread(app, x -> x.pctMs(99), 1))
                        .append(" | ").append(spread(app, x -> x.pctMs(99.9), 1))
                        .append(" | ").append(fmt(median(base, x -> x.pctMs(50)), 1)).append(" / ")
                        .append(fmt(median(base, x -> x.pctMs(99)), 1)).append(" / ").append(fmt(median(base, x -> x.pctMs(99.9)), 1))
                        .append(" | ").append(errors).append(" |\n");
            }
            md.append("\nCPU per acknowledged request in the same runs (µs; median (min–max)). *Server* = the server JVM's own CPU ")
                    .append("time (`ProcessHandle` CPU duration; it includes H2, which runs inside it, but not PostgreSQL's processes); ")
                    .append("*machine* = all busy CPU time on the machine (`/proc/stat`: server, load generator, PostgreSQL, anything ")
                    .append("else running). CPU per request depends far less than throughput on what the neighbours do; the ratio is ")
                    .append("baseline ÷ FrontDesk, comparable with the throughput ratio.\n\n");
            md.append("| connections | FrontDesk server µs | baseline server µs | ratio | FrontDesk machine µs | baseline machine µs | ratio |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- |\n").append(cpuRows);
            // fixed rate at half the saturating load, the saturating load measured right before each run: this
            // machine's speed drifts by several times within minutes, so half of an earlier best can be all of now
            md.append("\nFixed arrival rate at half the saturating load, open loop through up to 32 connections, latency counted ")
                    .append("from each request's due time (no coordinated omission). Before each run a ")
                    .append(fmt(PROBE_SECONDS, 0)).append("-second closed-loop probe at 8 connections measures what the server ")
                    .append("manages at that moment, then the run sends at half of it for ").append((long) seconds)
                    .append(" s (after 1 s idle)").append(sameWork ? "; then the same-work baseline at the same rate, after 1 s idle, "
                            + "for the tail the database and the machine give that work; then the floor at the same rate (`"
                            + SameWorkBaseline.FLOOR_PATH + "`: the same form, signature check and answer with no database), for "
                            + "the tail the machine, Jetty and the load generator give any request" : "").append(":\n\n");
            md.append("| run | load avg | probe req/s | rate req/s | achieved req/s | p50 ms | p99 ms | p99.9 ms | max ms | errors |")
                    .append(sameWork ? " baseline at the same rate: p50 / p99 / p99.9 ms | floor at the same rate: p50 / p99 / p99.9 ms |\n"
                            : "\n")
                    .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |").append(sameWork ? " --- | --- |\n" : "\n");
            List<LoadGen.Result> fixed = new ArrayList<>();
            List<LoadGen.Result> fixedBase = new ArrayList<>();
            List<LoadGen.Result> fixedFloor = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                String la = loadavg().split(" ")[0];
                HalfLoad h = halfLoad(s);
                fixed.add(h.result());
                md.append("| ").append(r + 1).append(" | ").append(la).append(" | ").append(h.row()).append(" |");
                String baseTail = "";
                if (sameWork) {
                    LoadGen.Result b = atRate(s, baselinePath, h.rate());
                    fixedBase.add(b);
                    LoadGen.Result f = atRate(s, SameWorkBaseline.FLOOR_PATH, h.rate());
                    fixedFloor.add(f);
                    md.append(' ').append(tail(List.of(b))).append(" | ").append(tail(List.of(f))).append(" |");
                    baseTail = String.format(Locale.ROOT, ", baseline p99 %.1f ms, floor p99 %.1f ms", b.pctMs(99), f.pctMs(99));
                }
                md.append('\n');
                log(String.format(Locale.ROOT, "  %s fixed run %d: probe %.0f/s, at %.0f/s p99 %.1f ms%s", db, r, h.probe(), h.rate(),
                        h.result().pctMs(99), baseTail));
            }
            md.append("| median | | | | ").append(fmt(median(fixed, LoadGen.Result::rps), 0)).append(" | ")
                    .append(fmt(median(fixed, x -> x.pctMs(50)), 1)).append(" | ").append(fmt(median(fixed, x -> x.pctMs(99)), 1))
                    .append(" | ").append(fmt(median(fixed, x -> x.pctMs(99.9)), 1)).append(" | | |");
            if (sameWork) {
                md.append(' ').append(tail(fixedBase)).append(" | ").append(tail(fixedFloor)).append(" |");
            }
            md.append('\n');
            if (profiling) {
                // the recording covers the closed-loop points and the half-load runs
                log(jcmd(s.process.pid(), "JFR.stop name=bench").trim());
            }
            if (!compareJvm.isEmpty()) {
                gcComparison(db);
            }
        }
    }

    static final double PROBE_SECONDS = 2;

    /** "p50 / p99 / p99.9" in ms, each the median over {@code runs} (of one run, its own). */
    private static String tail(List<LoadGen.Result> runs) {
        return fmt(median(runs, x -> x.pctMs(50)), 1) + " / " + fmt(median(runs, x -> x.pctMs(99)), 1) + " / "
                + fmt(median(runs, x -> x.pctMs(99.9)), 1);
    }

    record HalfLoad(double probe, double rate, LoadGen.Result result) {
        String row() {
            return fmt(probe, 0) + " | " + fmt(rate, 0) + " | " + fmt(result.rps(), 0) + " | " + fmt(result.pctMs(50), 1) + " | "
                    + fmt(result.pctMs(99), 1) + " | " + fmt(result.pctMs(99.9), 1) + " | " + fmt(result.pctMs(100), 1) + " | "
                    + result.errors();
        }
    }

    /** 1 s idle, then {@link #seconds} of signed webhooks to {@code path} at {@code rate} a second, open loop. */
    private LoadGen.Result atRate(Server s, String path, double rate) throws InterruptedException {
        int count = (int) (rate * seconds);
        LoadGen.Requests reqs = LoadGen.sign(s.port, path, TOKEN, count);
        Thread.sleep(1000);
        return LoadGen.open(s.port, reqs, rate, count, 32);
    }

    /** A capacity probe, 1 s idle, then {@link #seconds} at half the probe's rate. */
    private HalfLoad halfLoad(Server s) throws InterruptedException {
        LoadGen.Requests probeReqs = presign(s.port, "/api/twilio/sms/inbound", PROBE_SECONDS);
        LoadGen.Result probe = LoadGen.closed(s.port, probeReqs, 8, PROBE_SECONDS);
        noteRate("/api/twilio/sms/inbound", probe, probeReqs);
        double rate = Math.max(1, Math.floor(probe.rps() / 2));
        int count = (int) (rate * seconds);
        LoadGen.Requests reqs = LoadGen.sign(s.port, "/api/twilio/sms/inbound", TOKEN, count);
        Thread.sleep(1000); // let the probe's queue and garbage settle; the run measures the steady state at that rate
        return new HalfLoad(probe.rps(), rate, LoadGen.open(s.port, reqs, rate, count, 32));
    }

    /**
     * The fixed-rate point again on two fresh servers at once, one with the default JVM settings ({@code java -jar})
     * and one with {@link #compareJvm}, taking turns run by run: what the garbage collector does to the tail.
     */
    private void gcComparison(String db) throws Exception {
        String options = String.join(" ", compareJvm);
        log("gc comparison on " + db + ": default vs " + options);
        List<String> withOptions = new ArrayList<>(serverJvm);
        withOptions.addAll(compareJvm);
        try (Server plain = Server.start(this, "gc-default-" + db, serverJvm, jdbcUrl(db, "gcdefault"), 2, 1000, 50);
             Server other = Server.start(this, "gc-other-" + db, withOptions, jdbcUrl(db, "gcother"), 2, 1000, 50)) {
            // warm-up: as long as the first server's closed-loop runs, so the JIT and the heap settle as they did there
            for (int i = 0; i < 4; i++) {
                for (Server sv : List.of(plain, other)) {
                    LoadGen.closed(sv.port, LoadGen.sign(sv.port, "/api/twilio/sms/inbound", TOKEN, 20_000), 8, 4);
                }
            }
            md.append("\nThe half-load point again on two fresh servers started side by side, one with the default JVM settings ")
                    .append("(what `java -jar` gives: G1, heap sized by the JVM) and one with `").append(options)
                    .append("`, taking turns run by run, each at half of its own probe:\n\n");
            md.append("| JVM | probe req/s | p50 ms | p99 ms | p99.9 ms | max ms | errors |\n| --- | --- | --- | --- | --- | --- | --- |\n");
            List<LoadGen.Result> a = new ArrayList<>();
            List<LoadGen.Result> b = new ArrayList<>();
            List<Double> probesA = new ArrayList<>();
            List<Double> probesB = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                for (Server sv : r % 2 == 0 ? List.of(plain, other) : List.of(other, plain)) {
                    HalfLoad h = halfLoad(sv);
                    (sv == plain ? a : b).add(h.result());
                    (sv == plain ? probesA : probesB).add(h.probe());
                    log(String.format(Locale.ROOT, "  %s %s fixed run %d: probe %.0f/s, at %.0f/s p99 %.1f ms", db,
                            sv == plain ? "default" : options, r, h.probe(), h.rate(), h.result().pctMs(99)));
                }
            }
            for (List<LoadGen.Result> rs : List.of(a, b)) {
                md.append("| ").append(rs == a ? "default" : "`" + options + "`").append(" | ")
                        .append(spreadD(rs == a ? probesA : probesB, 0)).append(" | ")
                        .append(spread(rs, x -> x.pctMs(50), 1)).append(" | ").append(spread(rs, x -> x.pctMs(99), 1))
                        .append(" | ").append(spread(rs, x -> x.pctMs(99.9), 1)).append(" | ").append(spread(rs, x -> x.pctMs(100), 1))
                        .append(" | ").append(rs.stream().mapToInt(LoadGen.Result::errors).sum()).append(" |\n");
            }
        }
    }

    /** One path's slices of an interleaved run, with the CPU time spent during them. */
    static final class Slices {
        final List<LoadGen.Result> parts = new ArrayList<>();
        long serverCpuNanos;
        long machineBusyTicks;

        LoadGen.Result result() {
            return LoadGen.merge(parts);
        }

        double serverCpuMicrosPerRequest() {
            return serverCpuNanos / 1e3 / Math.max(1, result().sent() - result().errors());
        }

        double machineCpuMicrosPerRequest() {
            return machineBusyTicks * (1e6 / CLOCK_TICKS) / Math.max(1, result().sent() - result().errors());
        }
    }

    record Interleaved(Slices app, Slices base) {
    }

    /** USER_HZ, the unit of /proc/stat; 100 on every Linux this runs on. */
    static final double CLOCK_TICKS = 100;

    /** {@code seconds} one-second slices of each path at {@code c} connections, in the order ABBA ABBA... */
    private Interleaved interleaved(Server s, int c) throws Exception {
        Slices app = new Slices();
        Slices base = new Slices();
        int slices = Math.max(1, (int) Math.round(seconds));
        for (int i = 0; i < 2 * slices; i++) {
            boolean appTurn = (i % 4 == 0) || (i % 4 == 3);
            Slices into = appTurn ? app : base;
            String path = appTurn ? "/api/twilio/sms/inbound" : baselinePath;
            LoadGen.Requests reqs = presign(s.port, path, 1.0);
            long cpu0 = cpuNanos(s.process);
            long busy0 = machineBusyTicks();
            LoadGen.Result r = LoadGen.closed(s.port, reqs, c, 1.0);
            into.serverCpuNanos += cpuNanos(s.process) - cpu0;
            into.machineBusyTicks += machineBusyTicks() - busy0;
            into.parts.add(r);
            noteRate(path, r, reqs);
        }
        return new Interleaved(app, base);
    }

    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** Busy ticks of all CPUs since boot: user, nice, system, irq, softirq (not idle, iowait or steal). */
    static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static List<Double> ratioOf(List<Double> num, List<Double> den) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < num.size(); i++) {
            out.add(num.get(i) / den.get(i));
        }
        return out;
    }

    private final Map<String, Double> lastRps = new HashMap<>();

    /** Requests for {@code secs} seconds of closed-loop load: about three times what this path managed so far. */
    private LoadGen.Requests presign(int port, String path, double secs) {
        double last = lastRps.getOrDefault(path, 2_000.0);
        int n = (int) Math.min(80_000, Math.max(3_000, 3 * last * secs));
        return LoadGen.sign(port, path, TOKEN, n);
    }

    private void noteRate(String path, LoadGen.Result r, LoadGen.Requests reqs) {
        lastRps.put(path, Math.max(lastRps.getOrDefault(path, 2_000.0), r.rps()));
        if (r.sent() >= reqs.bytes.length) {
            log("  ran out of pre-signed requests on " + path + "; the run ended early after " + fmt(r.seconds(), 1) + " s");
        }
    }

    // ------------------------------------------------------------------------------------- 2. pipeline

    private void pipeline() throws Exception {
        int workers = 8;
        long aiMs = 1000;
        long twilioMs = 50;
        double bound = workers / ((aiMs + twilioMs) / 1000.0);
        log("pipeline");
        md.append("\n### 2. Reply pipeline (PostgreSQL)\n\n");
        md.append("Mock AI answering in ").append(aiMs).append(" ms and mock Twilio in ").append(twilioMs).append(" ms (in-process ")
                .append("`ReplyGenerator` and `SmsGateway`), ").append(workers).append(" reply workers, bound = workers / (L + 0.05 s) = ")
                .append(fmt(bound, 2)).append(" replies/s. Every webhook comes from a new customer, so no reply is folded into a later one ")
                .append("and no per-lead cap applies; the AI caps are lifted. *Throughput*: a burst of ").append(12 * workers)
                .append(" webhooks, replies/s = replies ÷ (last send − first acknowledgement). *Pickup*: webhooks at half the bound ")
                .append("(fixed rate), time from the webhook's 200 (seen by the load generator) to the mock AI being called ")
                .append("(after the claim, the reads of lead and history and the abuse-cap checks), same clock.\n\n");
        md.append("| run | load avg | replies | replies/s | % of bound | time per job beyond L + 0.05 s | pickup p50 ms | pickup p99 ms | pickup max ms |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        String url = jdbcUrl("pg", "pipe");
        List<Double> rates = new ArrayList<>();
        List<Double> allPickups = new ArrayList<>();
        try (Server s = Server.start(this, "pipeline", List.of(), url, workers, aiMs, twilioMs)) {
            // warm-up
            LoadGen.open(s.port, LoadGen.sign(s.port, "/api/twilio/sms/inbound", TOKEN, 20, 1.0), 20, 20, 8);
            drain(s, 20);
            for (int r = 0; r < runs; r++) {
                String la = loadavg().split(" ")[0];
                int n = 12 * workers;
                LoadGen.Result burst = LoadGen.open(s.port, LoadGen.sign(s.port, "/api/twilio/sms/inbound", TOKEN, n, 1.0), 200, n, 16);
                Events ev = drain(s, n);
                long firstAck = Arrays.stream(burst.ackMicros()).min().orElse(0);
                long lastSend = ev.sent.stream().mapToLong(Long::longValue).max().orElse(firstAck);
                double rps = ev.sent.size() / ((lastSend - firstAck) / 1e6);
                rates.add(rps);
                // pickup at half the bound
                double rate = bound / 2;
                int count = (int) Math.max(10, rate * seconds);
                LoadGen.Result steady = LoadGen.open(s.port, LoadGen.sign(s.port, "/api/twilio/sms/inbound", TOKEN, count, 1.0), rate, count, 4);
                Events ev2 = drain(s, count);
                List<Double> pickups = new ArrayList<>();
                for (int i = 0; i < steady.sids().length; i++) {
                    Long ai = ev2.aiStart.get(steady.sids()[i]);
                    if (ai != null) {
                        pickups.add((ai - steady.ackMicros()[i]) / 1000.0);
                    }
                }
                pickups.sort(Comparator.naturalOrder());
                allPickups.addAll(pickups);
                log(String.format(Locale.ROOT, "  pipeline run %d: %.2f replies/s (bound %.2f), pickup p99 %.1f ms", r, rps, bound, pct(pickups, 99)));
                md.append("| ").append(r + 1).append(" | ").append(la).append(" | ").append(ev.sent.size()).append(" | ")
                        .append(fmt(rps, 2)).append(" | ").append(fmt(100 * rps / bound, 0)).append("% | ")
                        .append(fmt(1000 * (workers / rps - (aiMs + twilioMs) / 1000.0), 0)).append(" ms | ")
                        .append(fmt(pct(pickups, 50), 1)).append(" | ").append(fmt(pct(pickups, 99), 1)).append(" | ")
                        .append(fmt(pct(pickups, 100), 1)).append(" |\n");
            }
        }
        allPickups.sort(Comparator.naturalOrder());
        md.append("| all | | | ").append(spreadD(rates, 2)).append(" | ").append(fmt(100 * median(rates) / bound, 0)).append("% | ")
                .append(fmt(1000 * (workers / median(rates) - (aiMs + twilioMs) / 1000.0), 0)).append(" ms | ")
                .append(fmt(pct(allPickups, 50), 1)).append(" | ").append(fmt(pct(allPickups, 99), 1)).append(" | ")
                .append(fmt(pct(allPickups, 100), 1)).append(" |\n");
    }

    record Events(Map<String, Long> aiStart, List<Long> sent) {
    }

    /** Collects the server's events until {@code sends} replies went out and the queue is empty (60 s at most). */
    private static Events drain(Server s, int sends) throws Exception {
        Map<String, Long> ai = new HashMap<>();
        List<Long> sent = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String text = get(s.port, "/bench/events");
            long pending = -1;
            for (String line : text.split("\n")) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "pending" -> pending = Long.parseLong(f[1]);
                    case "ai" -> ai.put(f[1], Long.parseLong(f[2]));
                    case "sent" -> sent.add(Long.parseLong(f[2]));
                    default -> { }
                }
            }
            if (pending == 0 && sent.size() >= sends) {
                break;
            }
            Thread.sleep(100);
        }
        return new Events(ai, sent);
    }

    // ------------------------------------------------------------------------------------- 3. memory

    private void memory() throws Exception {
        log("memory");
        String url = jdbcUrl("pg", "mem");
        HttpServer blockingAi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        blockingAi.setExecutor(Executors.newCachedThreadPool());
        blockingAi.createContext("/", ex -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        blockingAi.start();
        Path dir = Files.createDirectories(work.resolve("memory-app"));
        int port = freePort();
        Map<String, String> env = Map.of("PORT", String.valueOf(port), "DATABASE_URL", url,
                "OPENAI_API_KEY", "sk-bench", "OPENAI_BASE_URL", "http://127.0.0.1:" + blockingAi.getAddress().getPort() + "/v1",
                "AI_TIMEOUT_SECONDS", "600");
        Process p = exampleApp(dir, env, "memory");
        try {
            waitHealthy(port, 120);
            Thread.sleep(3000);
            String token = secrets(dir).getProperty("signing-token");
            md.append("\n### 3. Memory of the example app (PostgreSQL store)\n\n");
            md.append("`java -jar examples/target/frontdesk-example.jar` with default JVM settings; the AI mock never answers ")
                    .append("(AI timeout 600 s), so the two reply workers hold one job each and every other job stays queued ")
                    .append("in `reply_jobs`. Heap = used after a full GC (`jcmd GC.run`, then `GC.heap_info`); RSS from ")
                    .append("`/proc/<pid>/status`.\n\n");
            md.append("The first 1,000 jobs come from signed webhooks through the app; 9,000 more are inserted in SQL ")
                    .append("(as webhooks they would take minutes on this shared machine).\n\n");
            md.append("| state | queued reply jobs | heap used after GC | RSS |\n| --- | --- | --- | --- |\n");
            memoryRow("idle after start", p, url);
            LoadGen.Result r = LoadGen.closed(port, LoadGen.sign(port, "/api/twilio/sms/inbound", token, 1_000), 8, 600);
            memoryRow("after " + (r.sent() - r.errors()) + " signed webhooks", p, url);
            // The other 9,000 go straight into the tables (as webhooks they would take minutes on a shared
            // machine): the app sees them exactly as jobs that webhooks enqueued.
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("INSERT INTO messages (lead_id, twilio_sid, direction, from_number, to_number, body, status, num_segments, created_at)"
                        + " SELECT l.id, 'SMbulk' || g, 'inbound', l.phone_number, '+15559876543', 'Hi, my kitchen sink is leaking.',"
                        + " 'received', 1, CURRENT_TIMESTAMP FROM generate_series(1, 9000) g"
                        + " JOIN (SELECT MIN(id) AS id, MIN(phone_number) AS phone_number FROM leads) l ON TRUE");
                st.execute("INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts, run_at, created_at, updated_at)"
                        + " SELECT lead_id, id, FALSE, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM messages"
                        + " WHERE twilio_sid LIKE 'SMbulk%'");
            }
            get(port, "/api/health");
            Thread.sleep(2000);
            memoryRow("plus 9,000 jobs inserted in SQL", p, url);
        } finally {
            stop(p);
            blockingAi.stop(0);
            ((java.util.concurrent.ExecutorService) blockingAi.getExecutor()).shutdownNow();
        }
    }

    private void memoryRow(String state, Process p, String url) throws Exception {
        jcmd(p.pid(), "GC.run");
        String heap = jcmd(p.pid(), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(heap);
        long usedK = m.find() ? Long.parseLong(m.group(1)) : -1;
        long rssK = Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream().filter(l -> l.startsWith("VmRSS"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
        long queued;
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE")) {
            rs.next();
            queued = rs.getLong(1);
        }
        log(String.format(Locale.ROOT, "  memory %s: queued %d heap %d MiB rss %d MiB", state, queued, usedK / 1024, rssK / 1024));
        md.append("| ").append(state).append(" | ").append(queued).append(" | ").append(fmt(usedK / 1024.0, 1)).append(" MiB | ")
                .append(fmt(rssK / 1024.0, 0)).append(" MiB |\n");
    }

    private static String jcmd(long pid, String what) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("jcmd", String.valueOf(pid)));
        cmd.addAll(List.of(what.split(" ")));
        Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        j.waitFor();
        return text;
    }

    // ------------------------------------------------------------------------------------- 4. start-up

    private void startup() throws Exception {
        log("startup");
        md.append("\n### 4. Start-up of the example app (H2 file, defaults)\n\n");
        md.append("Time from starting `java -jar examples/target/frontdesk-example.jar` to the first `200` from ")
                .append("`GET /api/health` (polled every 5 ms over loopback). The first start creates the H2 database and runs ")
                .append("the migrations; the others open the existing one (Flyway only validates).\n\n");
        md.append("| start | load avg | ms to first served request |\n| --- | --- | --- |\n");
        Path dir = Files.createDirectories(work.resolve("startup-app"));
        List<Double> warm = new ArrayList<>();
        for (int r = 0; r <= runs + 2; r++) {
            int port = freePort();
            String la = loadavg().split(" ")[0];
            long t0 = System.nanoTime();
            Process p = exampleApp(dir, Map.of("PORT", String.valueOf(port)), "startup-" + r);
            double ms;
            try {
                waitHealthy(port, 120);
                ms = (System.nanoTime() - t0) / 1e6;
            } finally {
                stop(p);
            }
            log(String.format(Locale.ROOT, "  startup %d: %.0f ms", r, ms));
            if (r > 0) {
                warm.add(ms);
            }
            md.append("| ").append(r == 0 ? "first (new database)" : "again " + r).append(" | ").append(la).append(" | ")
                    .append(fmt(ms, 0)).append(" |\n");
        }
        md.append("| median of the restarts | | ").append(spreadD(warm, 0)).append(" |\n");
    }

    // ------------------------------------------------------------------------------------- processes

    /** The bench server in its own JVM. */
    static final class Server implements AutoCloseable {
        final Process process;
        final int port;

        private Server(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Server start(Suite suite, String name, List<String> jvmArgs, String jdbcUrl, int workers, long aiMs, long twilioMs)
                throws Exception {
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path")));
            cmd.addAll(suite.loggingArgs());
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of(BenchServer.class.getName(), String.valueOf(port), jdbcUrl, TOKEN, String.valueOf(workers),
                    String.valueOf(aiMs), String.valueOf(twilioMs)));
            Path logFile = suite.work.resolve(name + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            CHILDREN.add(p);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("bench server died; see " + logFile + "\n" + Files.readString(logFile));
                }
                if (Files.readString(logFile, StandardCharsets.ISO_8859_1).contains("READY " + port)) {
                    return new Server(p, port);
                }
                Thread.sleep(50);
            }
            p.destroyForcibly();
            throw new IllegalStateException("bench server did not start; see " + logFile);
        }

        @Override
        public void close() throws Exception {
            stop(process);
        }
    }

    /** The bench server's JVM options for {@link #logging}. */
    List<String> loggingArgs() {
        return switch (logging) {
            case "simple" -> List.of();
            case "async" -> List.of("-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider",
                    "-Dlogback.configurationFile=bench-logback-async.xml");
            default -> throw new IllegalArgumentException("bench.logging is simple or async, not " + logging);
        };
    }

    private Process exampleApp(Path dir, Map<String, String> env, String name) throws IOException {
        Path jar = Path.of(System.getProperty("bench.exampleJar", "examples/target/frontdesk-example.jar")).toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", jar.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TWILIO_") || k.startsWith("OPENAI_") || k.equals("DATABASE_URL")
                || k.equals("PORT") || k.equals("FRONTDESK_API_KEY") || k.equals("PUBLIC_BASE_URL"));
        pb.environment().putAll(env);
        Process p = pb.start();
        CHILDREN.add(p);
        return p;
    }

    static void stop(Process p) throws InterruptedException {
        CHILDREN.remove(p);
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Properties secrets(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("data/local-secrets.properties"))) {
            p.load(in);
        }
        return p;
    }

    private static void waitHealthy(int port, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                if (get(port, "/api/health").contains("\"ok\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no healthy answer on port " + port);
    }

    /** A GET over a fresh connection; returns the body of a 200 or throws. */
    static String get(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!all.startsWith("HTTP/1.1 200")) {
                throw new IOException("not 200: " + all.lines().findFirst().orElse(""));
            }
            return all.substring(all.indexOf("\r\n\r\n") + 4);
        }
    }

    // ------------------------------------------------------------------------------------- databases

    private String jdbcUrl(String db, String name) throws Exception {
        if (db.equals("h2")) {
            return "jdbc:h2:file:" + work.resolve("h2-" + name).resolve("frontdesk") + h2Options;
        }
        if (db.equals("h2mem")) {
            return "jdbc:h2:mem:" + name.replaceAll("[^a-z0-9]", "_") + ";DB_CLOSE_DELAY=-1" + h2Options;
        }
        String database = pgDb + "_" + name.replaceAll("[^a-z0-9]", "_");
        try (Connection c = DriverManager.getConnection(PG_ADMIN); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
        pgDatabases.add(database);
        return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
    }

    private void dropPg() {
        for (String database : pgDatabases) {
            try (Connection c = DriverManager.getConnection(PG_ADMIN); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                log("could not drop " + database + ": " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).filter(f -> !f.toString().endsWith(".log")).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            log("could not clean " + work);
        }
    }

    // ------------------------------------------------------------------------------------- output

    private void write() throws IOException {
        String section = BEGIN + "\n" + md + END + "\n";
        String text = Files.exists(out) ? Files.readString(out) : "# Benchmarks\n";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b >= 0 && e > b) {
            text = text.substring(0, b) + section + text.substring(e + END.length() + (text.startsWith("\n", e + END.length()) ? 1 : 0));
        } else {
            text = text + (text.endsWith("\n") ? "\n" : "\n\n") + section;
        }
        Files.writeString(out, text);
        System.out.println(md);
        log("wrote " + out.toAbsolutePath());
    }

    static void log(String s) {
        System.err.println(DateTimeFormatter.ISO_LOCAL_TIME.format(Instant.now().atOffset(ZoneOffset.UTC).toLocalTime()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) + " " + s);
    }

    static <T> double median(List<T> xs, ToDoubleFunction<T> f) {
        return median(xs.stream().map(f::applyAsDouble).toList());
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(xs);
        s.sort(Comparator.naturalOrder());
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double pct(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static <T> String spread(List<T> xs, ToDoubleFunction<T> f, int digits) {
        return spreadD(xs.stream().map(f::applyAsDouble).toList(), digits);
    }

    static String spreadD(List<Double> xs, int digits) {
        double min = xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return fmt(median(xs), digits) + " (" + fmt(min, digits) + "–" + fmt(max, digits) + ")";
    }

    static String fmt(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
