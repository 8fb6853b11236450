package dev.frontdesk.sms.example;

import static dev.frontdesk.sms.example.TestHttp.await;
import static dev.frontdesk.sms.example.TestHttp.getJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.events.EventSignatures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example app with {@code EVENTS_*} set, driven over HTTP as Twilio and staff would, posting its signed events to
 * a MockWebServer standing in for the host's CRM (on loopback, hence {@code EVENTS_ALLOW_PRIVATE=true}).
 */
class ExampleAppEventsTest {
    private static final String SECRET = "whsec_example_app_test";
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    MockWebServer crm;
    volatile int crmStatus = 200;

    @BeforeEach
    void startCrm() throws Exception {
        crm = new MockWebServer();
        crm.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(crmStatus);
            }
        });
        crm.start();
    }

    @AfterEach
    void stopCrm() throws Exception {
        crm.shutdown();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
        env.put("BUSINESS_NAME", "Joe's Plumbing");
        env.put("EVENTS_WEBHOOK_URL", crm.url("/crm/events").toString());
        env.put("EVENTS_WEBHOOK_SECRET", SECRET);
        env.put("EVENTS_ALLOW_PRIVATE", "true");
        return env;
    }

    private void text(ExampleApp app, String from, String body) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", ConsoleSmsGateway.newSid());
        p.put("AccountSid", "AC" + "0".repeat(32));
        p.put("From", from);
        p.put("To", "+15550001234");
        p.put("Body", body);
        p.put("NumMedia", "0");
        String token = LocalSecrets.find(dir.resolve("data")).orElseThrow().signingToken();
        assertThat(TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH, p, token).statusCode()).isEqualTo(200);
    }

    @Test
    void aSignedInboundTextPostsLeadCreatedAndMessageReceivedSignedWithTheSecret() throws Exception {
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            text(app, "+15551234567", "Hi, my sink is leaking");
            List<JsonNode> events = new ArrayList<>();
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (events.stream().noneMatch(e -> e.path("type").asText().equals("message.received"))
                    || events.stream().noneMatch(e -> e.path("type").asText().equals("lead.created"))) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("lead.created and message.received within " + WITHIN + ", got " + events).isPositive();
                RecordedRequest r = crm.takeRequest(left, TimeUnit.NANOSECONDS);
                if (r == null) {
                    continue;
                }
                assertThat(r.getMethod()).isEqualTo("POST");
                assertThat(r.getPath()).isEqualTo("/crm/events");
                byte[] body = r.getBody().readByteArray();
                assertThat(EventSignatures.verify(SECRET, r.getHeader("FrontDesk-Signature"), r.getHeader("FrontDesk-Timestamp"), body,
                        Duration.ofMinutes(5))).as("signed with EVENTS_WEBHOOK_SECRET").isTrue();
                assertThat(EventSignatures.verify("some-other-secret", r.getHeader("FrontDesk-Signature"),
                        r.getHeader("FrontDesk-Timestamp"), body, Duration.ofMinutes(5))).isFalse();
                JsonNode event = TestHttp.JSON.readTree(body);
                assertThat(r.getHeader("FrontDesk-Event-Id")).isEqualTo(event.path("id").asText()).startsWith("evt_");
                events.add(event);
            }
            JsonNode received = events.stream().filter(e -> e.path("type").asText().equals("message.received")).findFirst().orElseThrow();
            assertThat(received.path("data").path("lead").path("phoneNumber").asText()).isEqualTo("+15551234567");
            assertThat(received.path("data").path("message").path("body").asText()).isEqualTo("Hi, my sink is leaking");
            JsonNode created = events.stream().filter(e -> e.path("type").asText().equals("lead.created")).findFirst().orElseThrow();
            assertThat(created.path("data").path("lead").path("id").asLong())
                    .isEqualTo(received.path("data").path("lead").path("id").asLong());

            JsonNode none = getJson(app, "/api/events?status=failed", app.apiKey());
            assertThat(none.path("enabled").asBoolean()).isTrue();
            assertThat(none.path("events")).isEmpty();
        }
    }

    @Test
    void aReceiverAnswering500ShowsAsFailingDeliveriesWithTheReason() throws Exception {
        crmStatus = 500;
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            text(app, "+15551234567", "Hi");
            JsonNode pending = await(WITHIN, "the refused events in GET /api/events?status=pending", () -> {
                JsonNode list = getJson(app, "/api/events?status=pending", app.apiKey());
                long refused = 0;
                for (JsonNode e : list.path("events")) {
                    if ("HTTP 500".equals(e.path("lastError").asText(null))) {
                        refused++;
                    }
                }
                return refused >= 2 ? list : null;
            });
            assertThat(pending.path("enabled").asBoolean()).isTrue();
            for (JsonNode e : pending.path("events")) {
                if (e.path("lastError").asText("").equals("HTTP 500")) {
                    assertThat(e.path("attempts").asInt()).isGreaterThanOrEqualTo(1);
                    assertThat(e.path("nextAttemptAt").asText()).isNotBlank();
                }
            }
            assertThat(crm.getRequestCount()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aWebhookUrlWithoutItsSecretStopsTheStartNamingTheVariable() {
        Map<String, String> env = env();
        env.remove("EVENTS_WEBHOOK_SECRET");
        assertThatThrownBy(() -> ExampleApp.start(env, dir)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("EVENTS_WEBHOOK_SECRET");
    }

    @Test
    void withoutEventsVariablesNothingIsPostedAndTheApiSaysOff() throws Exception {
        Map<String, String> env = env();
        env.remove("EVENTS_WEBHOOK_URL");
        env.remove("EVENTS_WEBHOOK_SECRET");
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            text(app, "+15551234567", "Hi");
            await(WITHIN, "the reply", () -> getJson(app, "/api/leads/1/sms", app.apiKey()).path("messages").size() == 2 ? true : null);
            assertThat(getJson(app, "/api/events?status=pending", app.apiKey()).path("enabled").asBoolean()).isFalse();
            assertThat(crm.getRequestCount()).isZero();
        }
    }
}
