package dev.frontdesk.sms.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LogCapture;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.openai.OpenAiReplyGenerator;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import dev.frontdesk.sms.twilio.TwilioSmsGateway;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * Issue #9, "Logs and errors leak nothing": every flow runs once (inbound, AI reply, staff outbound,
 * delivery status, a wrong staff key, a forged webhook, the store down, Twilio refusing, the AI failing)
 * through real HTTP, with the real Twilio gateway and OpenAI generator against mock servers, while all
 * logging is captured. Neither the log nor any error answer holds the Twilio auth token, the OpenAI key,
 * the staff key, the database password or a customer's full phone number.
 */
class LogLeakTest {

    private static final String TWILIO_TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    private static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    private static final String OPENAI_KEY = "sk-proj-LeakCheck0123456789abcdefXYZ";
    private static final String STAFF_KEY = "staff-key-LeakCheck-5e6f7a8b9c";
    private static final String DB_PASSWORD = "pg-pass-LeakCheck-0c0ffee";
    private static final String BUSINESS = "+15550001111";
    private static final String PUBLIC_BASE = "https://abc123.ngrok.io";
    private static final String CUSTOMER = "+15551230001";
    private static final String REFUSED_BY_TWILIO = "+15559990000";
    private static final String AI_BREAKER = "+15551230003";
    private static final String STAFF_ONLY = "+15551230004";
    private static final List<String> CUSTOMERS = List.of(CUSTOMER, REFUSED_BY_TWILIO, AI_BREAKER, STAFF_ONLY);

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger sids = new AtomicInteger();
    private final List<String> errorAnswers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @Test
    void noSecretOrFullCustomerNumberInAnyLogLineOrErrorAnswer() throws Exception {
        MockWebServer twilio = new MockWebServer();
        twilio.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String body = request.getBody().readUtf8();
                if (body.contains(URLEncoder.encode(REFUSED_BY_TWILIO, StandardCharsets.UTF_8))) {
                    // Twilio names the number in its error messages.
                    return new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json")
                            .setBody("{\"code\": 21211, \"message\": \"The 'To' number " + REFUSED_BY_TWILIO
                                    + " is not a valid phone number.\", \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}");
                }
                String sid = String.format("SM%032x", sids.incrementAndGet());
                return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                        .setBody("{\"sid\": \"" + sid + "\", \"account_sid\": \"" + ACCOUNT_SID + "\", \"status\": \"queued\","
                                + " \"num_segments\": \"1\", \"from\": \"" + BUSINESS + "\", \"to\": \"+15550000000\", \"body\": \"x\"}");
            }
        });
        MockWebServer openAi = new MockWebServer();
        openAi.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String body = request.getBody().readUtf8();
                if (body.contains("break the AI")) {
                    // A proxy in front of the model that echoes the key it was given.
                    return new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                            .setBody("{\"error\": {\"message\": \"Incorrect API key provided: " + OPENAI_KEY
                                    + ". Your number " + AI_BREAKER + " was logged.\", \"type\": \"invalid_request_error\"}}");
                }
                ObjectNode root = json.createObjectNode();
                ObjectNode choice = root.putArray("choices").addObject();
                choice.put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", "Thanks! What is the address?");
                return new MockResponse().setHeader("Content-Type", "application/json").setBody(root.toString());
            }
        });
        twilio.start();
        openAi.start();

        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS))
                .twilioTestMode(false)
                .publicBaseUrl(PUBLIC_BASE).businessName("Ace Plumbing").build();
        SwitchableRepository repository = new SwitchableRepository(new InMemoryLeadRepository());
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));

        try (LogCapture logs = LogCapture.start()) {
            FrontDesk desk = FrontDesk.builder().replySettle(java.time.Duration.ZERO).config(config).repository(repository)
                    .gateway(TwilioSmsGateway.builder(config).accountSid(ACCOUNT_SID).authToken(TWILIO_TOKEN)
                            .apiBaseUrl(twilio.url("/").toString().replaceAll("/$", "")).build())
                    .replyGenerator(OpenAiReplyGenerator.builder(config).apiKey(OPENAI_KEY).baseUrl(openAi.url("/v1").toString())
                            .clock(clock).build())
                    .clock(clock).build();
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(FrontDeskServlet.builder(desk).signingToken(TWILIO_TOKEN).apiKey(STAFF_KEY).build()), "/*");
            jetty.setHandler(context);
            jetty.start();
            port = connector.getLocalPort();
            try {
                // Inbound, AI reply, sent through Twilio.
                inbound("SM" + "1".repeat(32), CUSTOMER, "Call me at " + CUSTOMER + ", my sink leaks");
                drain(desk);
                // Twilio refuses the AI reply (and names the number).
                inbound("SM" + "2".repeat(32), REFUSED_BY_TWILIO, "Do you fix water heaters?");
                drain(desk);
                // The AI fails (and its error echoes the key and a number); the fallback goes out.
                inbound("SM" + "3".repeat(32), AI_BREAKER, "please break the AI");
                drain(desk);
                // A replayed webhook, STOP and HELP.
                inbound("SM" + "1".repeat(32), CUSTOMER, "Call me at " + CUSTOMER + ", my sink leaks");
                inbound("SM" + "4".repeat(32), CUSTOMER, "STOP");
                inbound("SM" + "5".repeat(32), CUSTOMER, "HELP");
                // Staff: a send, a send Twilio refuses, a send to an opted-out lead, a wrong key, bad JSON.
                staff("{\"phoneNumber\": \"" + STAFF_ONLY + "\", \"message\": \"We can come at 3pm.\"}", STAFF_KEY);
                staff("{\"phoneNumber\": \"" + REFUSED_BY_TWILIO + "\", \"message\": \"Hello again\"}", STAFF_KEY);
                staff("{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"Are you still there?\"}", STAFF_KEY);
                staff("{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"x\"}", "wrong-" + STAFF_KEY);
                staff("{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": ", STAFF_KEY);
                get("/api/leads?phone=" + URLEncoder.encode(CUSTOMER, StandardCharsets.UTF_8), STAFF_KEY);
                get("/api/leads/999/sms", STAFF_KEY);
                get("/api/twilio/status", STAFF_KEY);
                // Delivery status: known and unknown SIDs, a failure with an error code.
                status(String.format("SM%032x", 1), "delivered", null);
                status(String.format("SM%032x", 2), "failed", "30003");
                status("SM" + "9".repeat(32), "sent", null);
                // A forged webhook and a signature for another URL.
                post("/api/twilio/sms/inbound", form(params("SM" + "6".repeat(32), CUSTOMER, "forged")), "bm90IGEgc2lnbmF0dXJl");
                post("/api/twilio/sms/inbound", form(params("SM" + "7".repeat(32), CUSTOMER, "forged")),
                        TwilioSignatures.sign(TWILIO_TOKEN, "https://evil.example/api/twilio/sms/inbound", params("SM" + "7".repeat(32), CUSTOMER, "forged")));
                // The store goes down.
                repository.down = true;
                inbound("SM" + "8".repeat(32), CUSTOMER, "anyone there?");
                staff("{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"hi\"}", STAFF_KEY);
                get("/api/health", null);
                repository.down = false;
            } finally {
                jetty.stop();
                desk.close();
                twilio.shutdown();
                openAi.shutdown();
            }

            String everything = logs.text() + "\n" + String.join("\n", errorAnswers);
            assertThat(logs.text()).as("the flows ran and logged").contains("Incoming SMS", "SMS sent successfully", "failed");
            assertThat(errorAnswers).as("error answers were collected").hasSizeGreaterThan(8);
            for (String secret : List.of(TWILIO_TOKEN, OPENAI_KEY, STAFF_KEY, DB_PASSWORD)) {
                assertThat(everything).as("a secret in the log or an error answer").doesNotContain(secret);
            }
            for (String customer : CUSTOMERS) {
                assertThat(everything).as("a full customer number in the log or an error answer").doesNotContain(customer)
                        .doesNotContain(customer.substring(1));
            }
            assertThat(logs.text()).as("customer numbers appear masked").contains("+1555***0001");
        }
    }

    private void drain(FrontDesk desk) {
        while (desk.processNextReply()) {
            // run every due reply job
        }
    }

    private Map<String, String> params(String sid, String from, String body) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", sid);
        p.put("AccountSid", ACCOUNT_SID);
        p.put("From", from);
        p.put("To", BUSINESS);
        p.put("Body", body);
        p.put("NumMedia", "0");
        return p;
    }

    private static String form(Map<String, String> p) {
        return TestServer.form(p);
    }

    private void inbound(String sid, String from, String body) {
        Map<String, String> p = params(sid, from, body);
        post("/api/twilio/sms/inbound", form(p), TwilioSignatures.sign(TWILIO_TOKEN, PUBLIC_BASE + "/api/twilio/sms/inbound", p));
    }

    private void status(String sid, String status, String errorCode) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", sid);
        p.put("MessageStatus", status);
        if (errorCode != null) {
            p.put("ErrorCode", errorCode);
        }
        post("/api/twilio/sms/status", form(p), TwilioSignatures.sign(TWILIO_TOKEN, PUBLIC_BASE + "/api/twilio/sms/status", p));
    }

    private void post(String path, String body, String signature) {
        record(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private void staff(String jsonBody, String key) {
        record(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/twilio/sms/outbound"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    private void get(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        record(b.build());
    }

    private void record(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() >= 400) {
                errorAnswers.add(r.statusCode() + " " + r.body());
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
