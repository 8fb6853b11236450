package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.ReplyResult;
import dev.frontdesk.sms.events.EventSignatures;
import dev.frontdesk.sms.events.EventWebhooks;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
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

/** Event webhooks through the HTTP API: signed webhooks in, signed events out, {@code GET /api/events} for staff. */
class EventsApiTest {
    private static final String SECRET = "whsec_api_test";

    MockWebServer crm;
    TestServer server;
    volatile int crmStatus = 200;

    @BeforeEach
    void start() throws Exception {
        crm = new MockWebServer();
        crm.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(crmStatus);
            }
        });
        crm.start();
        server = new TestServer(EventWebhooks.builder().url(crm.url("/crm").toString()).secret(SECRET).allowPrivate(true).build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        crm.shutdown();
    }

    private List<JsonNode> received(int count) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordedRequest r = crm.takeRequest(5, TimeUnit.SECONDS);
            assertThat(r).isNotNull();
            byte[] body = r.getBody().readByteArray();
            assertThat(EventSignatures.verify(SECRET, r.getHeader("FrontDesk-Signature"), r.getHeader("FrontDesk-Timestamp"), body,
                    Duration.ofMinutes(5), server.clock)).isTrue();
            out.add(new ObjectMapper().readTree(body));
        }
        return out;
    }

    @Test
    void aConversationThatQualifiesTheLeadPostsEachEventTypeOnce() throws Exception {
        server.aiResults(request -> new ReplyResult("Got it, see you then!", Map.of(Qualification.Field.NAME, "Sam Lee",
                Qualification.Field.SERVICE, "leaking sink", Qualification.Field.ADDRESS, "1 Main St",
                Qualification.Field.PREFERRED_TIME, "tomorrow 9am"), 10, 5, "gpt-4o-mini"));
        server.text(CUSTOMER, "Sam Lee, leaking sink at 1 Main St, tomorrow 9am please");
        server.drainReplies();
        server.text(CUSTOMER, "Thanks!");
        server.drainReplies();
        while (server.frontDesk.deliverEvents() > 0) {
            // drain
        }
        List<JsonNode> events = received(6);
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("lead.created", "message.received",
                "lead.qualified", "message.sent", "message.received", "message.sent");
        JsonNode qualified = events.get(2).get("data").get("lead");
        assertThat(qualified.get("qualification").get("name").asText()).isEqualTo("Sam Lee");
        assertThat(crm.getRequestCount()).as("each event once").isEqualTo(6);
        assertThat(events.stream().map(e -> e.get("id").asText()).distinct()).hasSize(6);

        var delivered = server.get("/api/events?status=delivered");
        assertThat(delivered.statusCode()).isEqualTo(200);
        JsonNode list = json(delivered);
        assertThat(list.get("status").asText()).isEqualTo("delivered");
        assertThat(list.get("enabled").asBoolean()).as("events are on").isTrue();
        assertThat(list.get("events")).hasSize(6);
        JsonNode newest = list.get("events").get(0);
        assertThat(newest.get("type").asText()).isEqualTo("message.sent");
        assertThat(newest.get("attempts").asInt()).isEqualTo(1);
        assertThat(newest.get("deliveredAt").isNull()).isFalse();
        assertThat(newest.get("lastError").isNull()).isTrue();
        assertThat(newest.get("nextAttemptAt").isNull()).isTrue();
        assertThat(json(server.get("/api/events")).get("events")).as("failed by default: none").isEmpty();
    }

    @Test
    void staffSeeEventsTheCrmRefusesWithTheReasonAndTheNextAttempt() throws Exception {
        crmStatus = 500;
        server.text(CUSTOMER, "Hi");
        server.frontDesk.deliverEvents();
        JsonNode pending = json(server.get("/api/events?status=pending"));
        assertThat(pending.get("events")).hasSize(2);
        for (JsonNode e : pending.get("events")) {
            assertThat(e.get("id").asText()).startsWith("evt_");
            assertThat(e.get("lastError").asText()).isEqualTo("HTTP 500");
            assertThat(e.get("attempts").asInt()).isEqualTo(1);
            assertThat(e.get("nextAttemptAt").asText()).isNotBlank();
        }
        for (int i = 0; i < 200 && json(server.get("/api/events?status=failed")).get("events").size() < 2; i++) {
            server.clock.advance(Duration.ofHours(1));
            server.frontDesk.deliverEvents();
        }
        JsonNode failed = json(server.get("/api/events?status=failed&limit=1"));
        assertThat(failed.get("events")).hasSize(1);
        assertThat(failed.get("events").get(0).get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("events").get(0).get("lastError").asText()).isEqualTo("HTTP 500");
    }

    @Test
    void aStaffEditThatFullyQualifiesTheLeadPostsLeadQualifiedOnce() throws Exception {
        server.text(CUSTOMER, "Hi");
        while (server.frontDesk.deliverEvents() > 0) {
            // drain lead.created and message.received
        }
        assertThat(received(2)).extracting(e -> e.get("type").asText()).containsExactly("lead.created", "message.received");
        long leadId = json(server.get("/api/leads")).get("leads").get(0).get("id").asLong();

        assertThat(server.patchJson("/api/leads/" + leadId, "{\"qualification\": {\"name\": \"Sam Lee\", \"service\": \"leaking sink\","
                + " \"address\": \"1 Main St\"}}").statusCode()).isEqualTo(200);
        assertThat(server.frontDesk.deliverEvents()).as("not qualified yet: no preferred time").isZero();
        assertThat(server.patchJson("/api/leads/" + leadId, "{\"qualification\": {\"preferredTime\": \"tomorrow 9am\"}}")
                .statusCode()).isEqualTo(200);
        assertThat(server.patchJson("/api/leads/" + leadId, "{\"qualification\": {\"preferredTime\": \"tomorrow 10am\"}}")
                .statusCode()).isEqualTo(200);
        while (server.frontDesk.deliverEvents() > 0) {
            // drain
        }
        JsonNode qualified = received(1).get(0);
        assertThat(qualified.get("type").asText()).isEqualTo("lead.qualified");
        JsonNode lead = qualified.get("data").get("lead");
        assertThat(lead.get("id").asLong()).isEqualTo(leadId);
        assertThat(lead.get("qualification").get("name").asText()).isEqualTo("Sam Lee");
        assertThat(qualified.get("data").has("message")).isFalse();
        assertThat(crm.getRequestCount()).as("one lead.qualified, not one per edit").isEqualTo(3);
    }

    @Test
    void withoutEventWebhooksTheListSaysTheyAreOff() throws Exception {
        try (TestServer plain = new TestServer()) {
            JsonNode list = json(plain.get("/api/events?status=failed"));
            assertThat(list.get("enabled").asBoolean()).as("an empty list is not 'all delivered'").isFalse();
            assertThat(list.get("events")).isEmpty();
        }
    }

    @Test
    void theListNeedsTheKeyAndAKnownStatus() throws Exception {
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server.local("/api/events")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertError(anonymous, 401, "unauthorized");
        JsonNode bad = assertError(server.get("/api/events?status=lost"), 400, "invalid_request");
        assertThat(bad.get("message").asText()).contains("failed, pending or delivered");
        assertError(server.get("/api/events?limit=0"), 400, "invalid_request");
    }
}
