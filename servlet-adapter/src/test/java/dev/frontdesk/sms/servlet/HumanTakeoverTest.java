package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Human takeover through the HTTP API: a staff text pauses the AI; {@code POST /api/leads/{id}/ai} switches it. */
class HumanTakeoverTest {
    static final String OUTBOUND = "/api/twilio/sms/outbound";

    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private long leadId() {
        return server.leadJson(CUSTOMER).get("id").asLong();
    }

    private long aiRepliesSent() {
        return server.gateway.sent.stream().filter(s -> s.body().startsWith("AI:")).count();
    }

    private void aiAnswers() {
        server.ai = request -> "AI: thanks, we can help";
    }

    @Test
    void aStaffTextPausesTheAiForTwoHoursAndMessagesMeanwhileGetNoAiReply() {
        aiAnswers();
        server.text(CUSTOMER, "My sink is leaking");
        server.drainReplies();
        assertThat(aiRepliesSent()).isEqualTo(1);
        JsonNode before = server.leadJson(CUSTOMER);
        assertThat(before.get("aiEnabled").asBoolean()).isTrue();
        assertThat(before.get("aiPausedUntil").isNull()).isTrue();

        HttpResponse<String> staff = server.postJson(OUTBOUND, "{\"leadId\": " + leadId() + ", \"message\": \"Hi, this is Bob, I'll call you\"}");
        assertThat(staff.statusCode()).isEqualTo(201);

        JsonNode paused = server.leadJson(CUSTOMER);
        assertThat(paused.get("aiEnabled").asBoolean()).isFalse();
        assertThat(paused.get("aiPausedUntil").asText()).isEqualTo("2026-11-27T12:00:00Z");

        server.clock.advance(Duration.ofMinutes(30));
        server.text(CUSTOMER, "ok thanks Bob");
        server.drainReplies();
        assertThat(aiRepliesSent()).isEqualTo(1);
        assertThat(server.memory.replyQueue().pendingCount()).isZero();
        JsonNode history = json(server.get("/api/leads/" + leadId() + "/sms")).get("messages");
        assertThat(history).hasSize(4);
        assertThat(history.get(3).get("direction").asText()).isEqualTo("inbound");

        server.clock.advance(Duration.ofMinutes(91));
        JsonNode back = server.leadJson(CUSTOMER);
        assertThat(back.get("aiEnabled").asBoolean()).isTrue();
        assertThat(back.get("aiPausedUntil").isNull()).isTrue();
        server.text(CUSTOMER, "anyone there?");
        server.drainReplies();
        assertThat(aiRepliesSent()).isEqualTo(2);
    }

    @Test
    void switchingTheAiOffKeepsItOffUntilSwitchedOnAndStaffTextsDoNotChangeThat() {
        aiAnswers();
        server.text(CUSTOMER, "hello");
        server.drainReplies();
        long id = leadId();

        HttpResponse<String> off = server.postJson("/api/leads/" + id + "/ai", "{\"enabled\": false}");
        assertThat(off.statusCode()).isEqualTo(200);
        JsonNode lead = json(off).get("lead");
        assertThat(lead.get("id").asLong()).isEqualTo(id);
        assertThat(lead.get("aiEnabled").asBoolean()).isFalse();
        assertThat(lead.get("aiPausedUntil").isNull()).isTrue();

        server.postJson(OUTBOUND, "{\"leadId\": " + id + ", \"message\": \"Bob here\"}");
        server.clock.advance(Duration.ofDays(3));
        server.text(CUSTOMER, "still there?");
        server.drainReplies();
        assertThat(aiRepliesSent()).isEqualTo(1);
        assertThat(server.leadJson(CUSTOMER).get("aiEnabled").asBoolean()).isFalse();

        HttpResponse<String> on = server.postJson("/api/leads/" + id + "/ai", "{\"enabled\": true}");
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(json(on).get("lead").get("aiEnabled").asBoolean()).isTrue();
        server.text(CUSTOMER, "hello again");
        server.drainReplies();
        assertThat(aiRepliesSent()).isEqualTo(2);
    }

    @Test
    void aPauseForSomeMinutesEndsByItselfAndAStaffTextDoesNotShortenIt() {
        server.text(CUSTOMER, "hello");
        server.drainReplies();
        long id = leadId();

        HttpResponse<String> r = server.postJson("/api/leads/" + id + "/ai", "{\"enabled\": false, \"minutes\": 600}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("lead").get("aiPausedUntil").asText()).isEqualTo("2026-11-27T20:00:00Z");

        server.postJson(OUTBOUND, "{\"leadId\": " + id + ", \"message\": \"Bob here\"}");
        assertThat(server.leadJson(CUSTOMER).get("aiPausedUntil").asText()).isEqualTo("2026-11-27T20:00:00Z");

        server.clock.advance(Duration.ofHours(10));
        assertThat(server.leadJson(CUSTOMER).get("aiEnabled").asBoolean()).isTrue();
    }

    @Test
    void takeoverMinutesComeFromTheConfigurationAndZeroMeansNoPause() throws Exception {
        server.close();
        server = new TestServer(c -> c.humanTakeoverMinutes(0), s -> s, "/*");
        server.text(CUSTOMER, "hello");
        server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"Bob here\"}");
        assertThat(server.leadJson(CUSTOMER).get("aiEnabled").asBoolean()).isTrue();

        server.close();
        server = new TestServer(c -> c.humanTakeoverMinutes(15), s -> s, "/*");
        server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"Bob here\"}");
        assertThat(server.leadJson(CUSTOMER).get("aiPausedUntil").asText()).isEqualTo("2026-11-27T10:15:00Z");
    }

    @Test
    void aFailedStaffSendDoesNotPauseTheAi() {
        server.text(CUSTOMER, "hello");
        server.gateway.failNext = new dev.frontdesk.sms.SmsSendException("Twilio is down", 20500, 500, false);
        HttpResponse<String> r = server.postJson(OUTBOUND, "{\"leadId\": " + leadId() + ", \"message\": \"Bob here\"}");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(server.leadJson(CUSTOMER).get("aiEnabled").asBoolean()).isTrue();
    }

    @Test
    void aReplyBeingWrittenWhenStaffTakeOverIsDropped() {
        server.text(CUSTOMER, "hello");
        long id = leadId();
        server.ai = request -> {
            // staff pick the conversation up while the model is still writing
            server.postJson("/api/leads/" + id + "/ai", "{\"enabled\": false}");
            return "AI: too late";
        };
        server.drainReplies();

        assertThat(aiRepliesSent()).isZero();
        assertThat(server.gateway.sent).isEmpty();
        assertThat(server.memory.replyQueue().pendingCount()).isZero();
        assertThat(json(server.get("/api/leads/" + id + "/sms")).get("messages")).hasSize(1);
    }

    @Test
    void theAiSwitchRefusesBadRequests() {
        server.text(CUSTOMER, "hello");
        String path = "/api/leads/" + leadId() + "/ai";
        assertError(server.postJson("/api/leads/999999/ai", "{\"enabled\": false}"), 404, "lead_not_found");
        assertError(server.postJson(path, "{}"), 400, "invalid_request");
        assertError(server.postJson(path, "{\"enabled\": \"no\"}"), 400, "invalid_request");
        assertError(server.postJson(path, "{\"enabled\": true, \"minutes\": 30}"), 400, "invalid_request");
        assertError(server.postJson(path, "{\"enabled\": false, \"minutes\": 0}"), 400, "invalid_request");
        assertError(server.postJson(path, "{\"enabled\": false, \"minutes\": 1.5}"), 400, "invalid_request");
        assertError(server.postJson(path, "[true]"), 400, "invalid_request");
        assertError(server.postJson("/api/leads/abc/ai", "{\"enabled\": false}"), 400, "invalid_request");
        assertError(server.get(path), 405, "method_not_allowed");
        assertError(server.send(HttpRequest.newBuilder(server.local(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": false}")).build()), 401, "unauthorized");
        assertError(server.send(HttpRequest.newBuilder(server.local(path)).header("Authorization", "Bearer " + TestServer.API_KEY)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": false}")).build()),
                415, "unsupported_media_type");
        assertThat(server.leadJson(CUSTOMER).get("aiEnabled").asBoolean()).isTrue();
    }
}
