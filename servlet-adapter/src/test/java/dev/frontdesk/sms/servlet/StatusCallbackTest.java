package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusCallbackTest {
    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Staff text the customer; returns the Twilio SID of the stored message. */
    private String sendOne() {
        HttpResponse<String> r = server.postJson("/api/twilio/sms/outbound",
                "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"We can come at 3pm.\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        return json(r).get("message").get("twilioSid").asText();
    }

    private Message stored(String sid) {
        return server.memory.messages().findMessageBySid(sid).orElseThrow();
    }

    @Test
    void callbacksInShuffledOrderEndAtTheFurthestStatusAndDeliveredAtIsSetOnce() {
        Random random = new Random(42);
        for (int round = 0; round < 8; round++) {
            String sid = sendOne();
            List<String> statuses = new ArrayList<>(List.of("queued", "sending", "sent", "delivered"));
            Collections.shuffle(statuses, random);
            Instant deliveredAt = null;
            for (String status : statuses) {
                server.clock.advance(Duration.ofSeconds(1));
                HttpResponse<String> r = server.status(sid, status, null);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml");
                if (status.equals("delivered")) {
                    deliveredAt = server.clock.instant();
                }
            }
            assertThat(stored(sid).status()).as("order %s", statuses).isEqualTo(MessageStatus.DELIVERED);
            assertThat(stored(sid).deliveredAt()).isEqualTo(deliveredAt);

            server.clock.advance(Duration.ofMinutes(1));
            assertThat(server.status(sid, "delivered", null).statusCode()).isEqualTo(200);
            assertThat(server.status(sid, "failed", "30003").statusCode()).as("late failure").isEqualTo(200);
            assertThat(stored(sid).status()).isEqualTo(MessageStatus.DELIVERED);
            assertThat(stored(sid).deliveredAt()).as("set once").isEqualTo(deliveredAt);
        }
    }

    @Test
    void deliveredAtIsVisibleThroughTheHistoryEndpoint() {
        String sid = sendOne();
        server.clock.advance(Duration.ofSeconds(5));
        server.status(sid, "delivered", null);

        JsonNode message = json(server.get("/api/leads/1/sms")).get("messages").get(0);
        assertThat(message.get("status").asText()).isEqualTo("delivered");
        assertThat(message.get("deliveredAt").asText()).isEqualTo("2026-11-27T10:00:05Z");
    }

    @Test
    void unknownMessageSidAnswers200SoTwilioDoesNotRetry() {
        HttpResponse<String> r = server.status("SM00000000000000000000000000000999", "delivered", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(InboundWebhookTest.EMPTY_TWIML);
    }

    @Test
    void error21610OptsTheLeadOut() {
        String sid = sendOne();
        server.status(sid, "undelivered", "21610");
        assertThat(stored(sid).errorCode()).isEqualTo("21610");
        assertThat(server.memory.leads().findLead(stored(sid).leadId()).orElseThrow().smsOptOut()).isTrue();
    }

    @Test
    void missingSidOrStatusIs400() {
        assertError(server.webhook("/api/twilio/sms/status", java.util.Map.of("MessageStatus", "sent")), 400, "invalid_request");
        assertError(server.webhook("/api/twilio/sms/status", java.util.Map.of("MessageSid", "SM7e570000000000000000000000000001")), 400, "invalid_request");
        assertError(server.webhook("/api/twilio/sms/status", java.util.Map.of("MessageSid", "SM7e570000000000000000000000000001", "MessageStatus", "teleported")),
                400, "invalid_request");
    }

    @Test
    void storeDownAnswers503() {
        String sid = sendOne();
        server.repository.down = true;
        assertError(server.status(sid, "delivered", null), 503, "unavailable");
        server.repository.down = false;
        assertThat(server.status(sid, "delivered", null).statusCode()).isEqualTo(200);
        assertThat(stored(sid).status()).isEqualTo(MessageStatus.DELIVERED);
    }
}
