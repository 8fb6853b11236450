package dev.frontdesk.sms.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/events/stream} through real sockets into Jetty: staff only, one event per change (inbound, reply,
 * status, staff text, lead edits), heartbeats, cleanup when the client goes, the cap, and no thread per stream.
 */
class EventStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String STREAM = "/api/events/stream";
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private TestServer serve(java.util.function.UnaryOperator<FrontDeskServlet.Builder> servlet, int maxThreads) {
        server = new TestServer(c -> c, servlet, "/*", new dev.frontdesk.sms.memory.InMemoryLeadRepository(), 8 * 1024, maxThreads);
        return server;
    }

    private SseClient stream(String key) {
        SseClient c = SseClient.open(server.port(), STREAM, key);
        open.add(c);
        return c;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void anInboundTextIsOneMessageEventWithTheIdsOfTheLeadAndTheMessage() {
        serve(s -> s, 0);
        SseClient events = stream(TestServer.API_KEY);
        assertThat(events.status).isEqualTo(200);
        assertThat(events.headers.get("content-type")).startsWith("text/event-stream");
        assertThat(events.headers.get("cache-control")).isEqualTo("no-store");
        events.await(": connected"::equals, WAIT);

        assertThat(server.text(TestServer.CUSTOMER, "Is anyone there?").statusCode()).isEqualTo(200);

        JsonNode lead = server.leadJson(TestServer.CUSTOMER);
        long leadId = lead.get("id").asLong();
        long messageId = TestServer.json(server.get("/api/leads/" + leadId + "/sms")).get("messages").get(0).get("id").asLong();
        assertThat(events.nextEvent(WAIT)).isEqualTo("message {\"leadId\": " + leadId + ", \"messageId\": " + messageId + "}");
    }

    @Test
    void repliesStatusCallbacksStaffTextsAndLeadEditsAreEventsToo() {
        serve(s -> s, 0);
        server.text(TestServer.CUSTOMER, "Leaking tap");
        long leadId = server.leadJson(TestServer.CUSTOMER).get("id").asLong();
        SseClient events = stream(TestServer.API_KEY);
        events.await(": connected"::equals, WAIT);

        server.drainReplies(); // the fallback reply: recorded pending, then sent
        JsonNode reply = TestServer.json(server.get("/api/leads/" + leadId + "/sms")).get("messages").get(1);
        String replyEvent = "message {\"leadId\": " + leadId + ", \"messageId\": " + reply.get("id").asLong() + "}";
        assertThat(events.nextEvent(WAIT)).isEqualTo(replyEvent);
        assertThat(events.nextEvent(WAIT)).isEqualTo(replyEvent);

        server.status(reply.get("twilioSid").asText(), "delivered", null);
        assertThat(events.nextEvent(WAIT)).isEqualTo(replyEvent);
        server.status(reply.get("twilioSid").asText(), "sent", null); // late: nothing changes, no event

        assertThat(server.patchJson("/api/leads/" + leadId, "{\"qualification\": {\"name\": \"Sam Lee\"}}").statusCode()).isEqualTo(200);
        assertThat(events.nextEvent(WAIT)).isEqualTo("lead {\"leadId\": " + leadId + ", \"messageId\": null}");
        server.postJson("/api/leads/" + leadId + "/ai", "{\"enabled\": false}");
        assertThat(events.nextEvent(WAIT)).isEqualTo("lead {\"leadId\": " + leadId + ", \"messageId\": null}");

        HttpResponse<String> sent = server.postJson("/api/twilio/sms/outbound", "{\"leadId\": " + leadId + ", \"message\": \"On my way\"}");
        assertThat(sent.statusCode()).isEqualTo(201);
        long staffId = TestServer.json(sent).get("message").get("id").asLong();
        List<String> next = List.of(events.nextEvent(WAIT), events.nextEvent(WAIT), events.nextEvent(WAIT));
        // recorded, sent, and the takeover pause of the lead's AI (already off here, but a write all the same)
        assertThat(next).contains("message {\"leadId\": " + leadId + ", \"messageId\": " + staffId + "}");
        assertThat(events.seen()).doesNotContain("<closed>");
    }

    @Test
    void withoutTheStaffKeyTheStreamIs401AndAKeyInTheUrlIsNotAccepted() {
        serve(s -> s, 0);
        SseClient none = stream(null);
        assertThat(none.status).isEqualTo(401);
        assertThat(none.errorBody).contains("\"unauthorized\"");
        SseClient wrong = stream("not-the-key");
        assertThat(wrong.status).isEqualTo(401);
        SseClient inUrl = SseClient.open(server.port(), STREAM + "?key=" + TestServer.API_KEY, null);
        open.add(inUrl);
        assertThat(inUrl.status).isEqualTo(401);
        assertThat(server.servlet.handler().openEventStreams()).isZero();
    }

    @Test
    void anIdleStreamGetsHeartbeats() {
        serve(s -> s.eventHeartbeat(Duration.ofMillis(200)), 0);
        SseClient events = stream(TestServer.API_KEY);
        events.await(": keepalive"::equals, WAIT);
        events.await(": keepalive"::equals, WAIT);
    }

    @Test
    void aClientThatGoesAwayIsForgottenAndItsSlotFreed() throws Exception {
        serve(s -> s.eventHeartbeat(Duration.ofMillis(100)).maxEventStreams(1), 0);
        SseClient first = stream(TestServer.API_KEY);
        first.await(": connected"::equals, WAIT);
        assertThat(server.servlet.handler().openEventStreams()).isEqualTo(1);

        first.close();
        await(() -> server.servlet.handler().openEventStreams() == 0, "the closed stream is forgotten");
        SseClient second = stream(TestServer.API_KEY);
        assertThat(second.status).isEqualTo(200);
    }

    @Test
    void oneStreamOverTheCapIs503WithRetryAfterAndAClearMessage() {
        serve(s -> s.maxEventStreams(2), 0);
        stream(TestServer.API_KEY).await(": connected"::equals, WAIT);
        stream(TestServer.API_KEY).await(": connected"::equals, WAIT);
        SseClient third = stream(TestServer.API_KEY);
        assertThat(third.status).isEqualTo(503);
        assertThat(third.headers.get("retry-after")).isEqualTo("30");
        assertThat(third.headers.get("content-type")).isEqualTo("application/json");
        assertThat(third.errorBody).contains("\"unavailable\"").contains("2 live event streams").contains("maxEventStreams");
    }

    @Test
    void streamsHoldNoThread() throws Exception {
        serve(s -> s, 12); // far fewer threads than streams
        for (int i = 0; i < 30; i++) {
            stream(TestServer.API_KEY).await(": connected"::equals, WAIT);
        }
        assertThat(server.servlet.handler().openEventStreams()).isEqualTo(30);
        assertThat(server.get("/api/health").statusCode()).isEqualTo(200);
        SseClient last = (SseClient) open.get(29);
        server.text(TestServer.CUSTOMER, "Still there?");
        assertThat(last.nextEvent(WAIT)).startsWith("message {\"leadId\": ");
    }

    @Test
    void closingTheFrontDeskEndsTheStreams() throws Exception {
        serve(s -> s, 0);
        SseClient events = stream(TestServer.API_KEY);
        events.await(": connected"::equals, WAIT);
        server.frontDesk.close();
        events.await("<closed>"::equals, WAIT);
        await(() -> server.servlet.handler().openEventStreams() == 0, "streams forgotten");
        SseClient after = stream(TestServer.API_KEY);
        assertThat(after.status).isEqualTo(503);
    }
}
