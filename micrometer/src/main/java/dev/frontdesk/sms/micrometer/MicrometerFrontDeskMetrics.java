package dev.frontdesk.sms.micrometer;

import dev.frontdesk.sms.FrontDeskMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * {@link FrontDeskMetrics} on a Micrometer {@link MeterRegistry} that the host hands in (no global
 * registry is touched). It lives in {@code frontdesk-sms-micrometer}, which brings {@code io.micrometer:micrometer-core};
 * hosts without metrics leave the artifact out and core never loads Micrometer.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code frontdesk.webhooks.received}</td><td>counter</td><td>{@code kind} (inbound, status)</td></tr>
 *   <tr><td>{@code frontdesk.webhooks.rejected}</td><td>counter</td><td>{@code kind}, {@code reason} (error code)</td></tr>
 *   <tr><td>{@code frontdesk.replies.sent}</td><td>counter</td><td>{@code kind} (ai, fallback, staff, retry)</td></tr>
 *   <tr><td>{@code frontdesk.replies.fallback}</td><td>counter</td><td>{@code reason} (no_ai, ai_failed, ai_paused, budget, ai_cap)</td></tr>
 *   <tr><td>{@code frontdesk.replies.skipped}</td><td>counter</td><td>{@code reason} (lead_cap, auto_cap, region)</td></tr>
 *   <tr><td>{@code frontdesk.ai.latency}</td><td>timer</td><td>{@code outcome} (ok, empty, refused, failed, timeout)</td></tr>
 *   <tr><td>{@code frontdesk.ai.failures}</td><td>counter</td><td>{@code outcome} (all but ok)</td></tr>
 *   <tr><td>{@code frontdesk.queue.depth}</td><td>gauge</td><td>reply jobs not done</td></tr>
 *   <tr><td>{@code frontdesk.twilio.errors}</td><td>counter</td><td>{@code code} (Twilio's error code)</td></tr>
 * </table>
 *
 * <p>Thread-safe; never throws from a recording method.
 */
public final class MicrometerFrontDeskMetrics implements FrontDeskMetrics {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.\\-]{1,40}");

    private final MeterRegistry registry;

    /** @param registry where the meters above are registered */
    public MicrometerFrontDeskMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void webhookReceived(String kind) {
        counter("frontdesk.webhooks.received", "Twilio webhooks accepted", "kind", kind);
    }

    @Override
    public void webhookRejected(String kind, String reason) {
        try {
            Counter.builder("frontdesk.webhooks.rejected").description("Twilio webhooks refused")
                    .tag("kind", tag(kind)).tag("reason", tag(reason)).register(registry).increment();
        } catch (RuntimeException ignored) {
            // metrics never break the front desk
        }
    }

    @Override
    public void otherSenderReceived(String kind) {
        counter("frontdesk.inbound.other_senders", "Texts from short codes, sender IDs and channel addresses, stored and not answered",
                "kind", kind);
    }

    @Override
    public void replySent(String kind) {
        counter("frontdesk.replies.sent", "Messages accepted by Twilio", "kind", kind);
    }

    @Override
    public void aiCall(Duration latency, String outcome) {
        try {
            Timer.builder("frontdesk.ai.latency").description("Reply generator calls")
                    .tag("outcome", tag(outcome)).register(registry).record(latency);
        } catch (RuntimeException ignored) {
            // metrics never break the front desk
        }
        if (!"ok".equals(outcome)) {
            counter("frontdesk.ai.failures", "Reply generator calls without a usable reply", "outcome", outcome);
        }
    }

    @Override
    public void fallbackReply(String reason) {
        counter("frontdesk.replies.fallback", "Fallback replies chosen instead of the AI's", "reason", reason);
    }

    @Override
    public void replySkipped(String reason) {
        counter("frontdesk.replies.skipped", "Customer texts stored and deliberately not answered automatically", "reason", reason);
    }

    @Override
    public void twilioError(String code) {
        counter("frontdesk.twilio.errors", "Messages Twilio refused or reported failed", "code", code);
    }

    @Override
    public void queueDepth(LongSupplier pendingJobs) {
        Objects.requireNonNull(pendingJobs, "pendingJobs");
        Gauge.builder("frontdesk.queue.depth", pendingJobs, MicrometerFrontDeskMetrics::read)
                .description("Reply jobs not done yet").strongReference(true).register(registry);
    }

    private static double read(LongSupplier s) {
        try {
            return s.getAsLong();
        } catch (RuntimeException storeDown) {
            return Double.NaN;
        }
    }

    private void counter(String name, String description, String tagKey, String tagValue) {
        try {
            Counter.builder(name).description(description).tag(tagKey, tag(tagValue)).register(registry).increment();
        } catch (RuntimeException ignored) {
            // metrics never break the front desk
        }
    }

    /** Tag values come from a closed set or from Twilio; anything else is folded into "other". */
    private static String tag(String v) {
        return v != null && TAG.matcher(v).matches() ? v : "other";
    }
}
