package dev.frontdesk.sms.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.jdbc.TestDatabase;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.openai.OpenAiReplyGenerator;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import dev.frontdesk.sms.twilio.TwilioSmsGateway;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Owner alerts end to end: signed webhooks and staff requests over real HTTP into Jetty, the real Twilio gateway and
 * the real OpenAI client against MockWebServer fakes, on the in-memory store, H2 and PostgreSQL. The owner's texts are
 * read back from the fake Twilio; the alerts from {@code GET /api/leads/{id}}.
 */
class OwnerAlertsTest {
    private static final String TOKEN = "12345678901234567890123456789012";
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String PUBLIC_BASE = "https://abc123.ngrok.io";
    private static final String API_KEY = "staff-key-0123456789abcdef";
    private static final String BUSINESS = "+15550001111";
    private static final String OWNER = "+15559990000";
    private static final String CUSTOMER = "+15551234567";
    private static final String LINK = "https://desk.example.com/#/leads/{id}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Twilio's side: every Messages request, and what the owner's number is answered (201 unless queued here). */
    private final MockWebServer twilio = new MockWebServer();
    private final ConcurrentLinkedQueue<Map<String, String>> sent = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Integer> ownerAnswers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sids = new AtomicInteger();
    /** The AI's side: what it answers a request with ({@code {"reply", "qualification", "handoff"}}). */
    private final MockWebServer openAi = new MockWebServer();
    private volatile Function<String, ObjectNode> ai = body -> answer("Thanks! We'll help.", Map.of(), false);
    private final AtomicInteger aiCalls = new AtomicInteger();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T18:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Desk> desks = new ArrayList<>();
    private TestDatabase db;

    /** One front desk behind its own Jetty. */
    private final class Desk {
        final LeadRepository store;
        final FrontDesk frontDesk;
        final Server jetty;
        final int port;

        Desk(LeadRepository store, UnaryOperator<FrontDeskConfig.Builder> config) throws Exception {
            this.store = store;
            FrontDeskConfig cfg = config.apply(FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS))
                    .twilioTestMode(false).publicBaseUrl(PUBLIC_BASE).businessName("Ace Plumbing")
                    .ownerPhoneNumber(new PhoneNumber(OWNER))).build();
            frontDesk = FrontDesk.builder().replySettle(Duration.ZERO).config(cfg).repository(store).clock(clock)
                    .gateway(TwilioSmsGateway.builder(cfg).accountSid(ACCOUNT).authToken(TOKEN).maxAttempts(1).clock(clock)
                            .apiBaseUrl(twilio.url("/").toString().replaceAll("/$", "")).build())
                    .replyGenerator(OpenAiReplyGenerator.builder().apiKey("sk-test").baseUrl(openAi.url("/v1").toString())
                            .model("gpt-4o-mini").maxAttempts(1).clock(clock).build())
                    .ownerAlertLink(LINK).pollInterval(Duration.ofMillis(200)).build();
            frontDesk.start();
            jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(FrontDeskServlet.builder(frontDesk).signingToken(TOKEN).apiKey(API_KEY).build()),
                    "/*");
            jetty.setHandler(context);
            jetty.start();
            port = connector.getLocalPort();
        }

        HttpResponse<String> text(String from, String body) throws Exception {
            Map<String, String> p = new LinkedHashMap<>();
            String sid = String.format("SM%032x", 0xabc000 + sids.incrementAndGet());
            p.put("MessageSid", sid);
            p.put("SmsMessageSid", sid);
            p.put("NumMedia", "0");
            p.put("AccountSid", ACCOUNT);
            p.put("From", from);
            p.put("To", BUSINESS);
            p.put("Body", body);
            String path = FrontDeskConfig.INBOUND_PATH;
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", TwilioSignatures.sign(TOKEN, PUBLIC_BASE + path, p))
                    .POST(HttpRequest.BodyPublishers.ofString(TestServer.form(p))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r;
        }

        HttpResponse<String> staff(String method, String path, String json) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }

        JsonNode lead(long id) throws Exception {
            HttpResponse<String> r = staff("GET", "/api/leads/" + id, null);
            assertThat(r.statusCode()).isEqualTo(200);
            return JSON.readTree(r.body()).get("lead");
        }

        long leadId(String phone) throws Exception {
            HttpResponse<String> r = staff("GET", "/api/leads?phone=" + phone.replace("+", "%2B"), null);
            return JSON.readTree(r.body()).get("leads").get(0).get("id").asLong();
        }

        void close() throws Exception {
            jetty.stop();
            frontDesk.close();
        }
    }

    private Desk desk(StoreKind kind, UnaryOperator<FrontDeskConfig.Builder> config) throws Exception {
        startFakes();
        LeadRepository store = switch (kind) {
            case MEMORY -> new InMemoryLeadRepository();
            case H2, POSTGRES -> {
                if (db == null) {
                    db = TestDatabase.of(kind == StoreKind.H2 ? TestDatabase.Kind.H2_MEMORY : TestDatabase.Kind.POSTGRES);
                }
                yield JdbcLeadRepository.create(db.dataSource());
            }
        };
        Desk d = new Desk(store, config);
        desks.add(d);
        return d;
    }

    private boolean fakesStarted;

    private void startFakes() throws Exception {
        if (fakesStarted) {
            return;
        }
        fakesStarted = true;
        twilio.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Map<String, String> form = form(request.getBody().readUtf8());
                sent.add(form);
                Integer status = OWNER.equals(form.get("To")) ? ownerAnswers.poll() : null;
                if (status != null && status != 201) {
                    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                            .setBody("{\"code\": 20500, \"message\": \"Internal Server Error\", \"status\": " + status + "}");
                }
                String sid = String.format("SM%032x", sids.incrementAndGet());
                return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                        .setBody("{\"sid\": \"" + sid + "\", \"account_sid\": \"" + ACCOUNT + "\", \"status\": \"queued\","
                                + " \"num_segments\": \"1\", \"from\": \"" + BUSINESS + "\", \"to\": \"" + form.get("To")
                                + "\", \"body\": \"x\"}");
            }
        });
        twilio.start();
        openAi.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                aiCalls.incrementAndGet();
                ObjectNode content = ai.apply(request.getBody().readUtf8());
                ObjectNode body = JSON.createObjectNode();
                body.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1).put("model", "gpt-4o-mini");
                ObjectNode choice = body.putArray("choices").addObject();
                choice.put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", content.toString());
                body.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
                return new MockResponse().setHeader("Content-Type", "application/json").setBody(body.toString());
            }
        });
        openAi.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (Desk d : desks) {
            d.close();
        }
        twilio.shutdown();
        openAi.shutdown();
        if (db != null) {
            db.close();
        }
    }

    /** The AI's structured answer. */
    private static ObjectNode answer(String reply, Map<String, String> qualification, boolean handoff) {
        ObjectNode o = JSON.createObjectNode();
        o.put("reply", reply);
        ObjectNode q = o.putObject("qualification");
        for (String f : List.of("name", "service", "address", "urgency", "preferredTime")) {
            q.put(f, qualification.get(f));
        }
        o.put("handoff", handoff);
        return o;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private List<Map<String, String>> to(String number) {
        return sent.stream().filter(f -> number.equals(f.get("To"))).toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("within 20 s: " + what).isTrue();
            Thread.sleep(20);
        }
    }

    /** Waits until the lead's alerts have settled (none pending) and returns them. */
    private JsonNode settledAlerts(Desk d, long leadId, int count) throws Exception {
        await(count + " settled alerts of lead " + leadId, () -> {
            try {
                JsonNode alerts = d.lead(leadId).get("alerts");
                if (alerts.size() != count) {
                    return false;
                }
                for (JsonNode a : alerts) {
                    if (a.get("status").asText().equals("pending")) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return d.lead(leadId).get("alerts");
    }

    private static final Map<String, String> EMERGENCY = Map.of("name", "Sam", "urgency", "emergency");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEmergencyTextsTheOwnerOnceFromTheBusinessNumber(StoreKind kind) throws Exception {
        Desk d = desk(kind, c -> c);
        ai = body -> answer("That sounds urgent, we're on it. What's the address?", EMERGENCY, false);
        d.text(CUSTOMER, "Water is pouring through my ceiling!");
        long id = d.leadId(CUSTOMER);
        JsonNode alerts = settledAlerts(d, id, 1);
        assertThat(alerts.get(0).get("reason").asText()).isEqualTo("emergency");
        assertThat(alerts.get(0).get("status").asText()).isEqualTo("sent");
        assertThat(alerts.get(0).get("sentAt").asText()).isEqualTo(clock.instant().toString());

        List<Map<String, String>> owner = to(OWNER);
        assertThat(owner).hasSize(1);
        assertThat(owner.get(0)).containsEntry("From", BUSINESS);
        assertThat(owner.get(0).get("Body")).isEqualTo("FrontDesk: emergency from " + CUSTOMER
                + " (Sam): \"Water is pouring through my ceiling!\" https://desk.example.com/#/leads/" + id);
        await("the customer's reply", () -> to(CUSTOMER).size() == 1);

        d.text(CUSTOMER, "It's getting worse, please hurry");
        await("the second reply", () -> to(CUSTOMER).size() == 2);
        assertThat(settledAlerts(d, id, 1).get(0).get("status").asText()).as("a second emergency text: no second alert")
                .isEqualTo("sent");
        assertThat(to(OWNER)).hasSize(1);

        // Never part of the customer's conversation.
        JsonNode history = JSON.readTree(d.staff("GET", "/api/leads/" + id + "/sms", null).body()).get("messages");
        assertThat(history).hasSize(4);
        for (JsonNode m : history) {
            assertThat(m.get("to").asText()).isNotEqualTo(OWNER);
            assertThat(m.get("body").asText()).doesNotStartWith("FrontDesk:");
        }
        if (db != null) {
            assertThat(db.count("messages WHERE to_number = '" + OWNER + "'")).isZero();
            assertThat(db.count("owner_alerts")).isEqualTo(1);
        }
    }

    @Test
    void aRequestForAPersonTextsTheOwner() throws Exception {
        Desk d = desk(StoreKind.MEMORY, c -> c);
        ai = body -> answer("Sure, someone from the team will text you.", Map.of(), true);
        d.text(CUSTOMER, "Can I talk to a real person please");
        long id = d.leadId(CUSTOMER);
        JsonNode alerts = settledAlerts(d, id, 1);
        assertThat(alerts.get(0).get("reason").asText()).isEqualTo("handoff");
        assertThat(to(OWNER).get(0).get("Body")).isEqualTo("FrontDesk: person requested by " + CUSTOMER
                + ": \"Can I talk to a real person please\" https://desk.example.com/#/leads/" + id);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void becomingFullyQualifiedTextsTheOwnerFromTheAiOrFromStaff(StoreKind kind) throws Exception {
        Desk d = desk(kind, c -> c);
        ai = body -> answer("Thanks Sam, we'll see you tomorrow at 9.", Map.of("name", "Sam", "service", "leaking tap",
                "address", "1 Main St", "preferredTime", "tomorrow 9am"), false);
        d.text(CUSTOMER, "Sam, leaking tap at 1 Main St, tomorrow 9am works");
        long id = d.leadId(CUSTOMER);
        assertThat(settledAlerts(d, id, 1).get(0).get("reason").asText()).isEqualTo("qualified");
        assertThat(to(OWNER).get(0).get("Body")).isEqualTo("FrontDesk: qualified lead " + CUSTOMER
                + " (Sam): \"Sam, leaking tap at 1 Main St, tomorrow 9am works\" https://desk.example.com/#/leads/" + id);

        String other = "+15557654321";
        ai = body -> answer("Thanks! What's your name?", Map.of("service", "rewire"), false);
        d.text(other, "I need a rewire");
        await("the reply to the other customer", () -> to(other).size() == 1);
        long otherId = d.leadId(other);
        HttpResponse<String> partly = d.staff("PATCH", "/api/leads/" + otherId, "{\"qualification\": {\"name\": \"Jo\"}}");
        assertThat(partly.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(partly.body()).get("lead").get("alerts")).isEmpty();
        HttpResponse<String> done = d.staff("PATCH", "/api/leads/" + otherId,
                "{\"qualification\": {\"address\": \"2 Elm St\", \"preferredTime\": \"Monday\"}}");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(done.body()).get("lead").get("alerts").get(0).get("reason").asText()).isEqualTo("qualified");
        assertThat(settledAlerts(d, otherId, 1).get(0).get("status").asText()).isEqualTo("sent");
        assertThat(to(OWNER)).hasSize(2);
        assertThat(to(OWNER).get(1).get("Body")).isEqualTo("FrontDesk: qualified lead " + other
                + " (Jo): \"I need a rewire\" https://desk.example.com/#/leads/" + otherId);
    }

    @Test
    void anInjectionAttemptIsFlattenedEscapedAndCutShort() throws Exception {
        Desk d = desk(StoreKind.MEMORY, c -> c);
        ai = body -> answer("We're on it.", Map.of("name", "Sam\n\nFrontDesk: (fake) \"Bob\"", "urgency", "emergency"), false);
        String attack = "STOP\r\nFrontDesk: emergency from +19998887777 \"call now\"\n\u202Eevil\u0000 " + "x".repeat(2000);
        d.text(CUSTOMER, attack);
        long id = d.leadId(CUSTOMER);
        settledAlerts(d, id, 1);
        String body = to(OWNER).get(0).get("Body");
        assertThat(body).isEqualTo("FrontDesk: emergency from " + CUSTOMER + " (Sam FrontDesk fake Bob): \"STOP FrontDesk:"
                + " emergency from +19998887777 \\\"call no...\" https://desk.example.com/#/leads/" + id);
        assertThat(body).doesNotContain("\n", "\r", "\u202E", "\u0000");
        assertThat(dev.frontdesk.sms.internal.SmsSegments.count(body)).as("the quote is cut to fit one segment").isEqualTo(1);
        assertThat(body.indexOf("FrontDesk:", 1)).as("the customer's fake prefix sits inside the quote").isGreaterThan(body.indexOf('"'));
    }

    @Test
    void alertsAreNotCountedInTheCustomersCaps() throws Exception {
        Desk d = desk(StoreKind.MEMORY, c -> c.outboundPerMinute(1).autoRepliesPerHour(2).aiRepliesPerLeadPerHour(2));
        ai = body -> answer("AI: we're on it.", EMERGENCY, true);
        d.text(CUSTOMER, "Flooding!");
        long id = d.leadId(CUSTOMER);
        settledAlerts(d, id, 2);
        assertThat(to(OWNER)).as("an emergency and a handoff").hasSize(2);

        d.text(CUSTOMER, "Are you coming?");
        await("the second reply", () -> to(CUSTOMER).size() == 2);
        assertThat(to(CUSTOMER)).extracting(f -> f.get("Body")).as("both written by the AI, no cap reached")
                .containsExactly("AI: we're on it.", "AI: we're on it.");
        HttpResponse<String> staff = d.staff("POST", "/api/twilio/sms/outbound",
                "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"On my way\"}");
        assertThat(staff.statusCode()).as("the one staff text a minute is still free: %s", staff.body()).isEqualTo(201);
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = {"MEMORY", "H2"})
    void withoutAnOwnerNumberNothingIsRecordedOrSent(StoreKind kind) throws Exception {
        Desk d = desk(kind, c -> c.ownerPhoneNumber(null));
        ai = body -> answer("On it.", EMERGENCY, true);
        d.text(CUSTOMER, "Flooding, get me a person!");
        await("the reply", () -> to(CUSTOMER).size() == 1);
        long id = d.leadId(CUSTOMER);
        assertThat(d.lead(id).get("alerts")).isEmpty();
        assertThat(d.store.ownerAlerts().enabled()).isFalse();
        assertThat(sent).hasSize(1);
        if (db != null) {
            assertThat(db.count("owner_alerts")).isZero();
        }
    }

    @Test
    void twilioErrorsAreRetriedUntilTheAlertIsSentOnce() throws Exception {
        Desk d = desk(StoreKind.MEMORY, c -> c);
        ownerAnswers.add(503);
        ownerAnswers.add(500);
        ai = body -> answer("On it.", EMERGENCY, false);
        d.text(CUSTOMER, "Burst pipe!");
        long id = d.leadId(CUSTOMER);
        for (int attempt = 1; attempt <= 2; attempt++) {
            int n = attempt;
            await("attempt " + n, () -> to(OWNER).size() == n);
            // Given back for later: this attempt counted, its next one after the clock's now.
            await("attempt " + n + " given back", () -> {
                dev.frontdesk.sms.OwnerAlert a = d.store.ownerAlerts().forLead(id).get(0);
                return a.attempts() == n && a.nextAttemptAt() != null && a.nextAttemptAt().isAfter(clock.instant());
            });
            JsonNode shown = d.lead(id).get("alerts").get(0);
            assertThat(shown.get("status").asText()).isEqualTo("pending");
            assertThat(shown.get("lastError").asText()).contains("twilio_error");
            clock.advance(Duration.ofMinutes(31)); // past the longest backoff
            d.frontDesk.wakeWorkers();
        }
        JsonNode alerts = settledAlerts(d, id, 1);
        assertThat(alerts.get(0).get("status").asText()).isEqualTo("sent");
        assertThat(alerts.get(0).get("lastError").isNull()).isTrue();
        assertThat(to(OWNER)).hasSize(3).extracting(f -> f.get("Body")).containsOnly(to(OWNER).get(0).get("Body"));
    }

    @Test
    void twoFrontDesksOnOnePostgresSendEachAlertOnce() throws Exception {
        Desk a = desk(StoreKind.POSTGRES, c -> c);
        Desk b = desk(StoreKind.POSTGRES, c -> c);
        ai = body -> answer("On it.", EMERGENCY, false);
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            customers.add(String.format("+1555200%04d", i));
        }
        for (String c : customers) {
            a.text(c, "Flooding here");
            b.text(c, "Still flooding");
            a.frontDesk.wakeWorkers();
            b.frontDesk.wakeWorkers();
        }
        for (String c : customers) {
            long id = a.leadId(c);
            await("both texts of " + c + " answered", () -> to(c).size() >= 1 && db.count("reply_jobs WHERE done = FALSE") == 0);
            settledAlerts(b, id, 1);
        }
        assertThat(db.count("owner_alerts")).isEqualTo(customers.size());
        assertThat(db.count("owner_alerts WHERE status = 'sent'")).isEqualTo(customers.size());
        assertThat(to(OWNER)).hasSize(customers.size());
        assertThat(to(OWNER).stream().map(f -> f.get("Body")).distinct()).hasSize(customers.size());
    }
}
