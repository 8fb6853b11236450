package dev.frontdesk.sms.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/** Small HTTP helpers for tests that talk to a running {@link ExampleApp} the way Twilio and staff do. */
final class TestHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestHttp() {
    }

    static HttpResponse<String> postForm(String url, Map<String, String> params, String signature) throws Exception {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a webhook signed the way Twilio signs it: for the public URL, with the signing token. */
    static HttpResponse<String> postSigned(ExampleApp app, String path, Map<String, String> params, String token) throws Exception {
        String publicUrl = app.config().twilio().publicBaseUrl() + path;
        return postForm("http://localhost:" + app.port() + path, params, TwilioSignatures.sign(token, publicUrl, params));
    }

    /** Posts JSON to a staff endpoint with the staff key. */
    static HttpResponse<String> postJson(ExampleApp app, String path, String json, String apiKey) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(ExampleApp app, String path, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path)).timeout(Duration.ofSeconds(10));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode getJson(ExampleApp app, String path, String apiKey) throws Exception {
        HttpResponse<String> r = get(app, path, apiKey);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Polls {@code probe} until it returns non-null, or fails after {@code timeout}. */
    static <T> T await(Duration timeout, String what, Callable<T> probe) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T value = probe.call();
            if (value != null) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** A JDK HTTP server on a free loopback port, answering every path with {@code handler} on {@code threads}; started. */
    static HttpServer loopbackServer(HttpHandler handler, ExecutorService threads) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", handler);
        server.setExecutor(threads);
        server.start();
        return server;
    }

    /** Runs the simulator ({@code simulate ...}, {@code simulate-status ...}) against the app that keeps its data in {@code workDir}; echoes its output. */
    static int simulator(Map<String, String> env, java.nio.file.Path workDir, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new Simulator(env, workDir, print, print).run(args);
        System.out.print(out.toString(StandardCharsets.UTF_8));
        return code;
    }

    /** A canned answer of a mock service, from {@code src/test/resources/mocks/}. */
    static String fixture(String name) {
        try (InputStream in = TestHttp.class.getResourceAsStream("/mocks/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource /mocks/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
