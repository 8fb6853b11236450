package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.example.FakeOpenAi.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 1: two app processes on one PostgreSQL, webhooks spread over both, and 30% of the messages
 * delivered twice, to both instances at the same moment, as Twilio's retries can: every MessageSid is
 * stored once, gets one reply job, and its customer gets exactly one reply.
 */
class MultiInstanceIT {
    private static final int MESSAGES = Integer.getInteger("reliability.multi.webhooks", 2000);
    private static final double REPEATS = 0.30;

    @Test
    void repeatedMessageSidsAtTwoInstancesAreStoredOnceAndAnsweredOnce() throws Exception {
        int repeated = (int) Math.round(MESSAGES * REPEATS);
        int unique = MESSAGES - repeated;
        try (ReliabilityRig rig = new ReliabilityRig("multi-instance")) {
            rig.openai.behaviour = body -> Answer.ok(ThreadLocalRandom.current().nextLong(10, 60));
            rig.twilio.behaviour = (to, body, attempt) -> FakeTwilio.Answer.created(ThreadLocalRandom.current().nextLong(5, 30));
            Map<String, String> env = rig.env(rig.db.url());
            AppProcess a = rig.start("a", env).awaitReady(Duration.ofSeconds(120));
            AppProcess b = rig.start("b", env).awaitReady(Duration.ofSeconds(120));
            AppProcess[] apps = {a, b};

            AtomicInteger posted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ConcurrentLinkedQueue<Long> ackMillis = new ConcurrentLinkedQueue<>();
            ExecutorService senders = Executors.newFixedThreadPool(12);
            ExecutorService twins = Executors.newFixedThreadPool(12);
            Instant start = Instant.now();
            for (int i = 0; i < unique; i++) {
                int n = i;
                AppProcess first = apps[n % 2];
                AppProcess second = apps[(n + 1) % 2];
                Map<String, String> params = ReliabilityRig.inbound(ReliabilityRig.sid(n), ReliabilityRig.customer(n),
                        "Hi, my sink is leaking (message " + n + ")");
                // spreads the repeats evenly: exactly `repeated` of the `unique` messages are delivered twice
                boolean twice = (long) n * repeated / unique != (long) (n + 1) * repeated / unique;
                senders.execute(() -> {
                    CompletableFuture<Void> twin = twice
                            ? CompletableFuture.runAsync(() -> deliver(second, params, posted, refused, ackMillis), twins)
                            : CompletableFuture.completedFuture(null);
                    deliver(first, params, posted, refused, ackMillis);
                    twin.join();
                });
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
            twins.shutdown();
            Duration sending = Duration.between(start, Instant.now());

            ReliabilityRig.await(Duration.ofSeconds(300), "a reply to each of " + unique + " messages",
                    () -> rig.twilio.acceptedPerTo().size() >= unique
                            && rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE") == 0,
                    () -> "replied " + rig.twilio.acceptedPerTo().size() + ", jobs not done "
                            + rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE"));
            Duration total = Duration.between(start, Instant.now());

            long stored = rig.db.count("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'");
            long distinctSids = rig.db.count("SELECT COUNT(DISTINCT twilio_sid) FROM messages WHERE direction = 'inbound'");
            long jobs = rig.db.count("SELECT COUNT(*) FROM reply_jobs");
            long outbound = rig.db.count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound'");
            Map<String, Long> perTo = rig.twilio.acceptedPerTo();
            long replied = perTo.size();
            long duplicated = perTo.values().stream().mapToLong(c -> c - 1).sum();
            long lost = unique - replied;
            rig.figure("webhooks posted " + posted.get() + " (" + unique + " MessageSids, " + (posted.get() - unique - refused.get())
                    + " repeats), non-200 answers " + refused.get() + ", stored " + stored + ", reply jobs " + jobs
                    + ", replied " + replied + ", duplicated " + duplicated + ", lost " + lost);
            rig.figure("ack latency " + ReliabilityRig.latencies(ackMillis) + "; sending took " + sending.toMillis()
                    + " ms, all replies after " + total.toMillis() + " ms");

            assertThat(stored).as("inbound messages stored").isEqualTo(unique);
            assertThat(distinctSids).isEqualTo(unique);
            assertThat(jobs).as("reply jobs").isEqualTo(unique);
            assertThat(outbound).as("outbound replies recorded").isEqualTo(unique);
            assertThat(rig.db.count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND twilio_sid IS NULL")).isZero();
            assertThat(lost).as("customers without a reply").isZero();
            assertThat(duplicated).as("customers who got a reply twice").isZero();
        }
    }

    /** Posts until the app acknowledges with 200 (Twilio retries what was not acknowledged). */
    private static void deliver(AppProcess app, Map<String, String> params, AtomicInteger posted, AtomicInteger refused,
                                ConcurrentLinkedQueue<Long> ackMillis) {
        for (int attempt = 0; attempt < 20; attempt++) {
            posted.incrementAndGet();
            ReliabilityRig.Ack ack = ReliabilityRig.postInbound(app, params);
            if (ack.ok()) {
                ackMillis.add(ack.millis());
                return;
            }
            refused.incrementAndGet();
        }
        throw new AssertionError("Webhook " + params.get("MessageSid") + " never acknowledged by " + app);
    }
}
