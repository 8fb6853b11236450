package dev.frontdesk.sms.spring;

import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Twilio for the host tests, both ways: its REST API on MockWebServer (a message create answered as Twilio documents
 * it, each form it was asked to send kept in order), and signed webhooks posted into the host over real HTTP.
 */
final class FakeTwilio {
    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH_TOKEN = "boot-host-auth-token";
    static final String BUSINESS = "+15557654321";
    static final String CUSTOMER = "+15551234567";
    /** What Twilio calls, e.g. through a tunnel; the tests post to localhost and sign for this URL. */
    static final String PUBLIC_URL = "https://frontdesk.example.test";
    static final String INBOUND_PATH = "/sms/api/twilio/sms/inbound";

    private final MockWebServer server = new MockWebServer();
    private final BlockingQueue<Map<String, String>> sent = new LinkedBlockingQueue<>();
    private final AtomicInteger sids = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Started at once: a test class's static field, so its URL is there for {@code @DynamicPropertySource}. */
    FakeTwilio() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!request.getPath().equals("/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json")) {
                    return new MockResponse().setResponseCode(404).setBody("{\"code\": 20404, \"message\": \"not found\", \"status\": 404}");
                }
                Map<String, String> form = form(request.getBody().readUtf8());
                sent.add(form);
                String body = fixture("mocks/twilio-message-created.json").replace("%SID%", String.format("SM%032x", sids.incrementAndGet()))
                        .replace("%TO%", form.get("To")).replace("%BODY%", form.get("Body").replace("\"", "\\\""));
                return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(body);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code frontdesk.twilio.api-base-url}. */
    String apiBaseUrl() {
        return server.url("/").toString();
    }

    /** The next message the front desk asked Twilio to send, waiting at most {@code within}; null when none came. */
    Map<String, String> awaitSent(Duration within) throws InterruptedException {
        return sent.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A customer's text as Twilio posts it to the host on {@code port}, signed with {@link #AUTH_TOKEN} for {@link #PUBLIC_URL}. */
    HttpResponse<String> text(String port, String messageSid, String body) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", messageSid);
        form.put("AccountSid", ACCOUNT);
        form.put("From", CUSTOMER);
        form.put("To", BUSINESS);
        form.put("Body", body);
        form.put("NumMedia", "0");
        return post(port, INBOUND_PATH, form, TwilioSignatures.sign(AUTH_TOKEN, PUBLIC_URL + INBOUND_PATH, form));
    }

    /** A form posted to {@code path} of the host on {@code port} with {@code signature} as X-Twilio-Signature. */
    HttpResponse<String> post(String port, String path, Map<String, String> form, String signature) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void shutdown() throws IOException {
        server.shutdown();
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static String fixture(String name) {
        try (InputStream in = FakeTwilio.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
