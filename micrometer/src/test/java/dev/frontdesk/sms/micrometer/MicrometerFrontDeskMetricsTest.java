package dev.frontdesk.sms.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MicrometerFrontDeskMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerFrontDeskMetrics metrics = new MicrometerFrontDeskMetrics(registry);

    @Test
    void eventsBecomeTaggedMetersOnTheHostsRegistry() {
        metrics.webhookReceived("inbound");
        metrics.webhookReceived("inbound");
        metrics.webhookRejected("inbound", "invalid_signature");
        metrics.replySent("ai");
        metrics.fallbackReply("no_ai");
        metrics.replySkipped("auto_cap");
        metrics.twilioError("21610");
        metrics.aiCall(Duration.ofMillis(120), "timeout");

        assertThat(registry.get("frontdesk.webhooks.received").tag("kind", "inbound").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("frontdesk.webhooks.rejected").tag("reason", "invalid_signature").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("frontdesk.replies.sent").tag("kind", "ai").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("frontdesk.replies.fallback").tag("reason", "no_ai").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("frontdesk.replies.skipped").tag("reason", "auto_cap").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("frontdesk.twilio.errors").tag("code", "21610").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("frontdesk.ai.latency").tag("outcome", "timeout").timer().count()).isEqualTo(1);
        assertThat(registry.get("frontdesk.ai.failures").tag("outcome", "timeout").counter().count()).isEqualTo(1.0);
    }

    @Test
    void queueDepthGaugeReadsTheStoreAndShowsNaNWhenItIsDown() {
        AtomicLong pending = new AtomicLong(3);
        metrics.queueDepth(() -> {
            if (pending.get() < 0) {
                throw new IllegalStateException("store down");
            }
            return pending.get();
        });
        assertThat(registry.get("frontdesk.queue.depth").gauge().value()).isEqualTo(3.0);
        pending.set(-1);
        assertThat(registry.get("frontdesk.queue.depth").gauge().value()).isNaN();
    }

    @Test
    void unexpectedTagValuesAreFoldedIntoOther() {
        metrics.twilioError("not a code; drop table");
        assertThat(registry.get("frontdesk.twilio.errors").tag("code", "other").counter().count()).isEqualTo(1.0);
    }
}
