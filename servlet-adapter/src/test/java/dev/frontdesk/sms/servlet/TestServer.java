package dev.frontdesk.sms.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.ClientSetup;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.ReplyRequest;
import dev.frontdesk.sms.ReplyResult;
import dev.frontdesk.sms.micrometer.MicrometerFrontDeskMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Embedded Jetty 12 with a {@link FrontDeskServlet} over the in-memory store and a recording gateway,
 * plus an HTTP client that speaks to it like Twilio and like staff do.
 */
final class TestServer implements AutoCloseable {
    static final String TOKEN = "12345678901234567890123456789012";
    static final String API_KEY = "staff-key-0123456789abcdef";
    static final String PUBLIC_BASE = "https://abc123.ngrok.io";
    static final String BUSINESS_NUMBER = "+15550001111";
    static final String CUSTOMER = "+15551234567";
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    /** The in-memory store, or null when the server runs on another one (see {@link #store}). */
    final InMemoryLeadRepository memory;
    final LeadRepository store;
    final SwitchableRepository repository;
    final RecordingGateway gateway = new RecordingGateway();
    /** How each request reached the servlet, in order: {@code REQUEST}, and {@code ASYNC} for a body read as it came. */
    final List<DispatcherType> dispatches = new CopyOnWriteArrayList<>();
    /** Every request the reply generator got, in order. */
    final List<ReplyRequest> aiRequests = new CopyOnWriteArrayList<>();
    /** The host's meter registry, handed to the front desk through {@link MicrometerFrontDeskMetrics}. */
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** What the reply generator answers; by default nothing, so the fallback reply goes out. */
    volatile ReplyGenerator ai = ReplyGenerator.NONE;
    final FrontDesk frontDesk;
    final FrontDeskServlet servlet;
    final Server server;
    final String mount;
    final HttpClient http = HttpClient.newHttpClient();
    private int sidCounter;

    /** A server at {@code /} with the default test configuration. */
    TestServer() {
        this(c -> c, s -> s, "/*");
    }

    /**
     * @param config  changes to the default configuration
     * @param servlet changes to the default servlet builder
     * @param mapping the servlet mapping, e.g. {@code /*}, {@code /} or {@code /sms/*}
     */
    TestServer(UnaryOperator<FrontDeskConfig.Builder> config, UnaryOperator<FrontDeskServlet.Builder> servlet, String mapping) {
        this(config, servlet, mapping, new InMemoryLeadRepository(), 8 * 1024);
    }

    /**
     * @param store             the store behind the switchable repository (in memory, or a JDBC store)
     * @param requestHeaderSize Jetty's cap on request headers (its default is 8 KiB)
     */
    TestServer(UnaryOperator<FrontDeskConfig.Builder> config, UnaryOperator<FrontDeskServlet.Builder> servlet, String mapping,
               LeadRepository store, int requestHeaderSize) {
        this(config, servlet, mapping, store, requestHeaderSize, 0);
    }

    /** @param maxThreads the most threads Jetty may use, or 0 for Jetty's default (200) */
    TestServer(UnaryOperator<FrontDeskConfig.Builder> config, UnaryOperator<FrontDeskServlet.Builder> servlet, String mapping,
               LeadRepository store, int requestHeaderSize, int maxThreads) {
        this(config, servlet, mapping, store, requestHeaderSize, maxThreads, true, null);
    }

    /**
     * A server at {@code /} whose host gives the servlet no staff key ({@code staffKey} false), only what
     * {@code servlet} sets: no key at all, or its own authorizer.
     */
    TestServer(UnaryOperator<FrontDeskServlet.Builder> servlet, boolean staffKey) {
        this(c -> c, servlet, "/*", new InMemoryLeadRepository(), 8 * 1024, 0, staffKey, null);
    }

    /** A server at {@code /} with the default test configuration whose front desk posts events as {@code events} says. */
    TestServer(dev.frontdesk.sms.events.EventWebhooks events) {
        this(c -> c, s -> s, "/*", new InMemoryLeadRepository(), 8 * 1024, 0, true, events);
    }

    /**
     * @param staffKey whether the host hands the servlet {@link #API_KEY} as its staff key (it always hands it
     *                 {@link #TOKEN} to check Twilio's signatures with; {@code servlet} may replace either)
     */
    private TestServer(UnaryOperator<FrontDeskConfig.Builder> config, UnaryOperator<FrontDeskServlet.Builder> servlet, String mapping,
               LeadRepository store, int requestHeaderSize, int maxThreads, boolean staffKey,
               dev.frontdesk.sms.events.EventWebhooks events) {
        this.store = store;
        this.memory = store instanceof InMemoryLeadRepository m ? m : null;
        this.repository = new SwitchableRepository(store);
        FrontDeskConfig cfg = config.apply(FrontDeskConfig.builder()
                .twilioPhoneNumber(new PhoneNumber(BUSINESS_NUMBER))
                .twilioTestMode(false)
                .publicBaseUrl(PUBLIC_BASE)
                .setup(new ClientSetup(true, true, false, FrontDeskConfig.DEFAULT_AI_MODEL))
                .businessName("Ace Plumbing")).build();
        ReplyGenerator recording = new ReplyGenerator() {
            @Override
            public String generateReply(ReplyRequest request) {
                return generate(request).reply();
            }

            @Override
            public ReplyResult generate(ReplyRequest request) {
                aiRequests.add(request);
                return ai.generate(request);
            }
        };
        frontDesk = FrontDesk.builder().replySettle(java.time.Duration.ZERO).config(cfg).repository(repository).gateway(gateway).clock(clock)
                .replyGenerator(recording).metrics(new MicrometerFrontDeskMetrics(meters)).events(events).build();
        // The host's secrets go to the servlet that uses them; the front desk's configuration holds none.
        FrontDeskServlet.Builder host = FrontDeskServlet.builder(frontDesk).signingToken(TOKEN);
        this.servlet = servlet.apply(staffKey ? host.apiKey(API_KEY) : host).build();
        this.mount = mapping.endsWith("/*") ? mapping.substring(0, mapping.length() - 2) : "";
        server = maxThreads > 0 ? new Server(new QueuedThreadPool(maxThreads, 4)) : new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(requestHeaderSize);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(this.servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, mapping);
        FilterHolder recorder = new FilterHolder((Filter) (request, response, chain) -> {
            dispatches.add(request.getDispatcherType());
            chain.doFilter(request, response);
        });
        recorder.setAsyncSupported(true);
        context.addFilter(recorder, mapping, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not start", e);
        }
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The local URL of an API path, e.g. {@code http://127.0.0.1:41234/api/leads}. */
    URI local(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + mount + pathAndQuery);
    }

    // ---------------------------------------------------------------- Twilio's side

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Twilio's inbound parameters for a text from {@code from}. */
    Map<String, String> inboundParams(String sid, String from, String body) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ToCountry", "US");
        p.put("SmsMessageSid", sid);
        p.put("NumMedia", "0");
        p.put("MessageSid", sid);
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("From", from);
        p.put("To", BUSINESS_NUMBER);
        p.put("Body", body);
        p.put("NumSegments", "1");
        p.put("ApiVersion", "2010-04-01");
        return p;
    }

    String nextSid() {
        return String.format("SMa1%030d", ++sidCounter);
    }

    /** Posts a form to a webhook path, signed for the public URL of that path as Twilio would. */
    HttpResponse<String> webhook(String path, Map<String, String> params) {
        return postForm(path, form(params), TwilioSignatures.sign(TOKEN, PUBLIC_BASE + mount + path, params));
    }

    /** A customer texts {@code body} from {@code from}. */
    HttpResponse<String> text(String from, String body) {
        return webhook(FrontDeskConfig.INBOUND_PATH, inboundParams(nextSid(), from, body));
    }

    HttpResponse<String> status(String sid, String status, String errorCode) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", sid);
        p.put("MessageStatus", status);
        p.put("AccountSid", "AC00000000000000000000000000000000");
        if (errorCode != null) {
            p.put("ErrorCode", errorCode);
        }
        return webhook(FrontDeskConfig.STATUS_PATH, p);
    }

    HttpResponse<String> postForm(String pathAndQuery, String body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(local(pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        return send(b.build());
    }

    // ---------------------------------------------------------------- staff's side

    HttpResponse<String> patchJson(String path, String json) {
        return send(HttpRequest.newBuilder(local(path)).header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(local(pathAndQuery)).header("Authorization", "Bearer " + API_KEY).GET().build());
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(local(path)).header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Makes the reply generator answer with full results (reply, qualification, tokens). */
    void aiResults(java.util.function.Function<ReplyRequest, ReplyResult> results) {
        ai = new ReplyGenerator() {
            @Override
            public String generateReply(ReplyRequest request) {
                return results.apply(request).reply();
            }

            @Override
            public ReplyResult generate(ReplyRequest request) {
                return results.apply(request);
            }
        };
    }

    /** Runs every due reply job, as the workers would. */
    void drainReplies() {
        while (frontDesk.processNextReply()) {
            // next
        }
    }

    /** The lead with this number as {@code GET /api/leads?phone=} shows it. */
    JsonNode leadJson(String phone) {
        HttpResponse<String> r = get("/api/leads?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).isEqualTo(200);
        return json(r).get("leads").get(0);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Checks the contract's error shape: status, JSON, code, a message for a person, no stack trace. */
    static JsonNode assertError(HttpResponse<String> response, int status, String code) {
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(response);
        org.assertj.core.api.Assertions.assertThat(body.size()).isEqualTo(1);
        JsonNode error = body.get("error");
        org.assertj.core.api.Assertions.assertThat(error.get("code").asText()).isEqualTo(code);
        org.assertj.core.api.Assertions.assertThat(error.size()).isEqualTo(2);
        String message = error.get("message").asText();
        org.assertj.core.api.Assertions.assertThat(message).hasSizeGreaterThan(15).doesNotContain("Exception").doesNotContain("\tat ");
        return error;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        frontDesk.close();
    }
}
