package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.SmsSendException;
import io.micrometer.core.instrument.search.RequiredSearch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Micrometer metrics on the host's registry, as the HTTP API and the worker drive them. */
class MetricsTest {

    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private RequiredSearch meter(String name) {
        return server.meters.get(name);
    }

    @Test
    void webhooksReceivedAndRejectedAreCountedByKindAndReason() {
        server.text(CUSTOMER, "hello");
        server.status("SM00000000000000000000000000000000", "delivered", null);
        server.postForm(FrontDeskConfig.INBOUND_PATH, "From=%2B15551234567&MessageSid=SM1&Body=hi", "bad-signature");

        assertThat(meter("frontdesk.webhooks.received").tag("kind", "inbound").counter().count()).isEqualTo(1.0);
        assertThat(meter("frontdesk.webhooks.received").tag("kind", "status").counter().count()).isEqualTo(1.0);
        assertThat(meter("frontdesk.webhooks.rejected").tags("kind", "inbound", "reason", "invalid_signature").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void repliesAiCallsFallbacksAndQueueDepthAreMeasured() {
        server.text(CUSTOMER, "hello");
        assertThat(meter("frontdesk.queue.depth").gauge().value()).isEqualTo(1.0);

        server.ai = request -> "AI: hi!";
        server.drainReplies();
        server.ai = request -> {
            throw new IllegalStateException("model down");
        };
        server.text(CUSTOMER, "hello again");
        server.drainReplies();

        assertThat(meter("frontdesk.queue.depth").gauge().value()).isZero();
        assertThat(meter("frontdesk.replies.sent").tag("kind", "ai").counter().count()).isEqualTo(1.0);
        assertThat(meter("frontdesk.replies.sent").tag("kind", "fallback").counter().count()).isEqualTo(1.0);
        assertThat(meter("frontdesk.replies.fallback").tag("reason", "ai_failed").counter().count()).isEqualTo(1.0);
        assertThat(meter("frontdesk.ai.latency").tag("outcome", "ok").timer().count()).isEqualTo(1);
        assertThat(meter("frontdesk.ai.latency").tag("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(meter("frontdesk.ai.failures").tag("outcome", "failed").counter().count()).isEqualTo(1.0);

        long id = server.leadJson(CUSTOMER).get("id").asLong();
        server.postJson("/api/twilio/sms/outbound", "{\"leadId\": " + id + ", \"message\": \"Bob here\"}");
        assertThat(meter("frontdesk.replies.sent").tag("kind", "staff").counter().count()).isEqualTo(1.0);
    }

    @Test
    void twilioErrorsAreCountedByCodeFromRefusalsAndCallbacks() {
        server.text(CUSTOMER, "hello");
        long id = server.leadJson(CUSTOMER).get("id").asLong();
        server.gateway.failNext = new SmsSendException("The 'To' number is not a valid phone number.", 21211, 400, false);
        server.postJson("/api/twilio/sms/outbound", "{\"leadId\": " + id + ", \"message\": \"Hi\"}");
        server.drainReplies();
        String sid = server.memory.messages().history(id, 10).stream().filter(m -> m.twilioSid() != null && m.twilioSid().startsWith("SM0"))
                .findFirst().orElseThrow().twilioSid();
        server.status(sid, "undelivered", "30003");

        assertThat(meter("frontdesk.twilio.errors").tag("code", "21211").counter().count()).isEqualTo(1.0);
        assertThat(meter("frontdesk.twilio.errors").tag("code", "30003").counter().count()).isEqualTo(1.0);
    }
}
