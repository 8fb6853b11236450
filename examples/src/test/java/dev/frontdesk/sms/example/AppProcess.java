package dev.frontdesk.sms.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The example app's shaded jar running as a separate JVM, the way an operator runs it: environment
 * variables in, standard output to a log file, SIGKILL ({@link #kill9()}) or SIGTERM ({@link #sigterm()}) out.
 */
final class AppProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    final Path log;
    final Instant startedAt = Instant.now();
    private final Process process;

    private AppProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** The jar built by {@code package}: failsafe runs after it; run from an IDE, build it first. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("frontdesk.exampleJar", "target/frontdesk-example.jar")).toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "No " + jar + ": run `mvn -B verify` (or package) first");
        return jar;
    }

    /** Starts the jar in {@code workDir} with exactly {@code env} (plus PATH and PORT); does not wait. */
    static AppProcess start(String name, Map<String, String> env, Path workDir) {
        try {
            Files.createDirectories(workDir);
            int port = freePort();
            Path log = workDir.resolve(name + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx192m", "-Xss512k", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-jar", jar().toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> e = pb.environment();
            String path = e.get("PATH");
            e.clear();
            if (path != null) {
                e.put("PATH", path);
            }
            e.put("LANG", "C.UTF-8");
            e.putAll(env);
            e.put("PORT", String.valueOf(port));
            return new AppProcess(name, port, log, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code GET /api/health} answers 200; fails with the log's tail otherwise. */
    AppProcess awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail(40));
            }
            if (healthStatus() == 200) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not healthy after " + timeout.toSeconds() + " s:\n" + tail(40));
    }

    /** The status of {@code GET /api/health}, or -1 when the app does not answer within 2 s. */
    int healthStatus() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/health")))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL: no shutdown hook, no finally block, connections dropped mid-whatever. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an orchestrator sends it. */
    void sigterm() {
        process.destroy();
    }

    /** Waits for the process to exit; true if it did within the timeout. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of the log containing {@code needle}. */
    long countLog(String needle) {
        return logText().lines().filter(l -> l.contains(needle)).count();
    }

    String tail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + ", port " + port + "]";
    }
}
