package dev.frontdesk.sms.example;

import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * What the reliability tests share: a fresh PostgreSQL database, fake Twilio and OpenAI servers, app
 * processes started from the example jar with short leases, a signed-webhook sender playing Twilio, waits
 * on conditions with deadlines, and the figures each test prints (and appends to
 * {@code target/reliability-figures.txt}).
 */
final class ReliabilityRig implements AutoCloseable {
    static final String AUTH_TOKEN = "reliability-auth-token";
    static final String API_KEY = "reliability-api-key";
    static final String BUSINESS = "+15557654321";
    static final String PUBLIC_BASE_URL = "https://frontdesk.reliability.test";
    static final String FALLBACK = "Thanks for your message! We will get back to you shortly.";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private static final AtomicInteger GENERATION = new AtomicInteger();

    final String test;
    final Path workDir;
    final ReliabilityDb db;
    final FakeTwilio twilio = new FakeTwilio();
    final FakeOpenAi openai = new FakeOpenAi();
    final List<AppProcess> processes = Collections.synchronizedList(new ArrayList<>());
    /** Account SID (one per process start) to the process name, so each send is attributed to its sender. */
    final Map<String, String> accounts = Collections.synchronizedMap(new HashMap<>());
    private final List<String> figures = new ArrayList<>();

    ReliabilityRig(String test) throws IOException {
        this.test = test;
        this.db = ReliabilityDb.create();
        this.workDir = Files.createDirectories(Path.of("target", "reliability", test + "-" + System.currentTimeMillis()).toAbsolutePath());
    }

    /** The variables every process gets: Twilio and OpenAI aimed at the fakes, short leases, no caps in the way. */
    Map<String, String> env(String databaseUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TWILIO_AUTH_TOKEN", AUTH_TOKEN);
        env.put("TWILIO_PHONE_NUMBER", BUSINESS);
        env.put("TWILIO_TEST_MODE", "false");
        env.put("TWILIO_API_BASE_URL", twilio.baseUrl());
        env.put("OPENAI_API_KEY", "sk-reliability");
        env.put("OPENAI_BASE_URL", openai.baseUrl());
        env.put("PUBLIC_BASE_URL", PUBLIC_BASE_URL);
        env.put("FRONTDESK_API_KEY", API_KEY);
        env.put("BUSINESS_NAME", "Joe's Plumbing");
        env.put("FALLBACK_REPLY", FALLBACK);
        env.put("DATABASE_URL", databaseUrl);
        env.put("DATABASE_USER", ReliabilityDb.USER);
        env.put("REPLY_WORKERS", "4");
        env.put("REPLY_LEASE_SECONDS", "5");
        env.put("REPLY_SHUTDOWN_SECONDS", "10");
        // The abuse caps (issue #9) must not be what these tests measure.
        env.put("AI_REPLIES_PER_LEAD_PER_HOUR", "1000000");
        env.put("AI_REPLIES_PER_HOUR", "1000000");
        env.put("OUTBOUND_PER_MINUTE", "1000000");
        return env;
    }

    /** Starts a process with a fresh account SID (so the fake Twilio knows which process sent what). */
    AppProcess start(String name, Map<String, String> env) {
        String account = String.format("AC%032x", 0xf00d0000L + GENERATION.incrementAndGet());
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("TWILIO_ACCOUNT_SID", account);
        AppProcess p = AppProcess.start(name, e, workDir.resolve(name));
        accounts.put(account, name + "#" + p.pid());
        processes.add(p);
        return p;
    }

    // ------------------------------------------------------------------ webhooks, as Twilio sends them

    /** Form parameters of an inbound SMS webhook. */
    static Map<String, String> inbound(String sid, String from, String body) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", sid);
        p.put("SmsSid", sid);
        p.put("AccountSid", "AC" + "0".repeat(32));
        p.put("From", from);
        p.put("To", BUSINESS);
        p.put("Body", body);
        p.put("NumMedia", "0");
        p.put("NumSegments", "1");
        return p;
    }

    static String sid(int n) {
        return String.format("SM%032x", 0xabc00000L + n);
    }

    /** A distinct customer number per message, so each reply is attributed by its {@code To}. */
    static String customer(int n) {
        return String.format("+1555%07d", n);
    }

    record Ack(int status, long millis) {
        boolean ok() {
            return status == 200;
        }
    }

    /** Posts a signed inbound webhook to {@code app}; status -1 when the app did not answer. */
    static Ack postInbound(AppProcess app, Map<String, String> params) {
        String path = "/api/twilio/sms/inbound";
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.url(path))).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_BASE_URL + path, params))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Ack(r.statusCode(), (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            return new Ack(-1, (System.nanoTime() - t0) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ack(-1, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    static HttpResponse<String> get(AppProcess app, String path, String apiKey) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.url(path))).timeout(Duration.ofSeconds(10)).GET();
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ waiting and figures

    /** Polls until {@code done}, or fails after {@code timeout} with what {@code state} says then. */
    static void await(Duration timeout, String what, BooleanSupplier done, Callable<String> state) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what + ": " + state.call());
            }
            Thread.sleep(100);
        }
    }

    /** The p-th percentile (0-100) of {@code values}, 0 when empty. */
    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static String latencies(ConcurrentLinkedQueue<Long> q) {
        List<Long> v = new ArrayList<>(q);
        return "n=" + v.size() + " p50=" + percentile(v, 50) + "ms p99=" + percentile(v, 99) + "ms max=" + percentile(v, 100) + "ms";
    }

    /** Prints one line of figures and keeps it for {@code target/reliability-figures.txt}. */
    void figure(String line) {
        String out = "[reliability] " + test + ": " + line;
        System.out.println(out);
        figures.add(out);
    }

    @Override
    public void close() throws Exception {
        for (AppProcess p : processes) {
            p.close();
        }
        twilio.close();
        openai.close();
        db.close();
        if (!figures.isEmpty()) {
            Files.writeString(Path.of("target", "reliability-figures.txt"), String.join("\n", figures) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
