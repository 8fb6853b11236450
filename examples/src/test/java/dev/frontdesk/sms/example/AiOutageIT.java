package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.example.FakeOpenAi.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 3: the AI fails in every way (500s, 429 storms with long Retry-After, answers that never
 * come); every inbound message still gets exactly one answer, the fallback, within a bound; webhook
 * acknowledgements are as fast as with a healthy AI, measured in the same run.
 */
class AiOutageIT {
    private static final int PER_PHASE = Integer.getInteger("reliability.ai.messages", 40);
    private static final int AI_TIMEOUT_SECONDS = 3;
    /** The bound this test holds the app to: AI deadline plus a margin for the send and a loaded machine. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(AI_TIMEOUT_SECONDS + 12);

    @Test
    void everyMessageGetsTheFallbackInBoundedTimeAndAcksStayFast() throws Exception {
        try (ReliabilityRig rig = new ReliabilityRig("ai-outage")) {
            Map<String, String> env = rig.env(rig.db.url());
            env.put("AI_TIMEOUT_SECONDS", String.valueOf(AI_TIMEOUT_SECONDS));
            env.put("REPLY_WORKERS", "4");
            rig.openai.behaviour = body -> Answer.ok(ThreadLocalRandom.current().nextLong(50, 200));
            AppProcess app = rig.start("app", env).awaitReady(Duration.ofSeconds(120));
            Map<String, Instant> ackedAt = new ConcurrentHashMap<>();

            // Warm-up outside the measurement, so both phases compare a warm JVM.
            send(rig, app, 1_000_000, 10, ackedAt, new ConcurrentLinkedQueue<>());
            awaitReplies(rig, ackedAt.keySet().stream().toList());

            ConcurrentLinkedQueue<Long> healthyAcks = new ConcurrentLinkedQueue<>();
            List<String> healthy = send(rig, app, 0, PER_PHASE, ackedAt, healthyAcks);
            awaitReplies(rig, healthy);

            AtomicInteger calls = new AtomicInteger();
            rig.openai.behaviour = body -> switch (calls.incrementAndGet() % 4) {
                case 0 -> new Answer(500, 0, null);
                case 1 -> new Answer(429, 0, "30");
                case 2 -> new Answer(503, 50, null);
                default -> new Answer(200, 60_000, null); // hangs past the deadline
            };
            int aiCallsBefore = rig.openai.calls.get();
            ConcurrentLinkedQueue<Long> outageAcks = new ConcurrentLinkedQueue<>();
            List<String> outage = send(rig, app, 10_000, PER_PHASE, ackedAt, outageAcks);
            awaitReplies(rig, outage);

            long slowest = 0;
            long fallbacks = 0;
            for (String to : outage) {
                List<FakeTwilio.Request> sends = rig.twilio.requestsTo(to).stream().filter(FakeTwilio.Request::accepted).toList();
                assertThat(sends).as("replies to " + to).hasSize(1);
                fallbacks += sends.get(0).body().equals(ReliabilityRig.FALLBACK) ? 1 : 0;
                slowest = Math.max(slowest, Duration.between(ackedAt.get(to), sends.get(0).receivedAt()).toMillis());
            }
            for (String to : healthy) {
                assertThat(rig.twilio.requestsTo(to).stream().filter(FakeTwilio.Request::accepted).toList())
                        .as("replies to " + to).hasSize(1)
                        .allSatisfy(r -> assertThat(r.body()).isEqualTo(FakeOpenAi.REPLY));
            }
            long healthyP99 = ReliabilityRig.percentile(new ArrayList<>(healthyAcks), 99);
            long outageP99 = ReliabilityRig.percentile(new ArrayList<>(outageAcks), 99);
            rig.figure("healthy AI: " + PER_PHASE + " received, " + healthy.size() + " replied by the AI; ack latency "
                    + ReliabilityRig.latencies(healthyAcks));
            rig.figure("AI outage (500 / 429 Retry-After 30 / 503 / hang; AI_TIMEOUT_SECONDS=" + AI_TIMEOUT_SECONDS + "): "
                    + PER_PHASE + " received, " + outage.size() + " answered, " + fallbacks + " with the fallback, duplicated 0, lost 0,"
                    + " AI calls " + (rig.openai.calls.get() - aiCallsBefore) + " (the rest skipped while the AI was paused),"
                    + " slowest answer " + slowest + " ms after the ack; ack latency " + ReliabilityRig.latencies(outageAcks));

            assertThat(fallbacks).as("fallback replies").isEqualTo(PER_PHASE);
            assertThat(slowest).as("ms from ack to the fallback reaching Twilio").isLessThanOrEqualTo(ANSWER_WITHIN.toMillis());
            assertThat(outageP99).as("p99 ack latency during the outage vs healthy (" + healthyP99 + " ms)")
                    .isLessThanOrEqualTo(Math.max(1000, 2 * healthyP99));
        }
    }

    /** Posts {@code count} webhooks, one every 150 ms, from new customers; returns their numbers. */
    private static List<String> send(ReliabilityRig rig, AppProcess app, int first, int count, Map<String, Instant> ackedAt,
                                     ConcurrentLinkedQueue<Long> ackMillis) throws InterruptedException {
        List<String> customers = new ArrayList<>();
        for (int n = first; n < first + count; n++) {
            String to = ReliabilityRig.customer(n);
            ReliabilityRig.Ack ack = ReliabilityRig.postInbound(app, ReliabilityRig.inbound(ReliabilityRig.sid(n), to, "Is anyone there? (" + n + ")"));
            assertThat(ack.status()).as("webhook " + n).isEqualTo(200);
            ackedAt.put(to, Instant.now());
            ackMillis.add(ack.millis());
            customers.add(to);
            Thread.sleep(150);
        }
        return customers;
    }

    private static void awaitReplies(ReliabilityRig rig, List<String> customers) throws Exception {
        ReliabilityRig.await(Duration.ofSeconds(180), "replies to " + customers.size() + " customers",
                () -> rig.twilio.acceptedPerTo().keySet().containsAll(customers),
                () -> customers.stream().filter(c -> !rig.twilio.acceptedPerTo().containsKey(c)).count() + " without a reply");
    }
}
