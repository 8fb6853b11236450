package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.example.FakeOpenAi.Answer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Guarantees 5 and 7: the database goes away (every connection cut, new ones refused, by a TCP proxy in
 * front of the shared PostgreSQL) and comes back. Webhooks answer 503 within a second, {@code /api/health}
 * answers 503 without authentication or details, the reply workers back off instead of spinning, and the
 * same JVM recovers by itself: health 200 again, new webhooks acknowledged, every acknowledged message
 * answered once.
 */
class DatabaseOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("reliability.db.outageSeconds", 10));
    /** What a worker logs each time it tries the store again: idle (claiming) or recording a sent reply. */
    private static final String RETRYING = "store unavailable, retrying in";
    private static final String RECORDING = "but the store is unavailable; recording it again";

    @Test
    void webhooksAnswer503FastDuringTheOutageAndEverythingRecoversWithoutARestart() throws Exception {
        try (ReliabilityRig rig = new ReliabilityRig("database-outage"); TcpProxy toDb = new TcpProxy(ReliabilityDb.PG_PORT)) {
            rig.openai.behaviour = body -> Answer.ok(300);
            rig.twilio.behaviour = (to, body, attempt) -> FakeTwilio.Answer.created(300);
            Map<String, String> env = rig.env(rig.db.urlVia(toDb.port));
            env.put("REPLY_WORKERS", "2");
            AppProcess app = rig.start("app", env).awaitReady(Duration.ofSeconds(120));

            HttpResponse<String> healthy = ReliabilityRig.get(app, "/api/health", null);
            assertThat(healthy.statusCode()).as("health without a key while the store answers").isEqualTo(200);

            List<String> acked = new ArrayList<>();
            for (int n = 0; n < 20; n++) {
                assertThat(post(app, n).status()).isEqualTo(200);
                acked.add(ReliabilityRig.customer(n));
            }
            // A few more right before the cut, so replies are mid-AI-call or mid-send when the database goes.
            for (int n = 20; n < 26; n++) {
                assertThat(post(app, n).status()).isEqualTo(200);
                acked.add(ReliabilityRig.customer(n));
            }
            long retryLinesBefore = app.countLog(RETRYING) + app.countLog(RECORDING);
            int twilioInFlightAtCut = rig.twilio.inFlight() + rig.openai.inFlight.get();
            toDb.cut();
            Instant cutAt = Instant.now();

            ConcurrentLinkedQueue<Long> refusedMillis = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> healthMillis = new ConcurrentLinkedQueue<>();
            List<Integer> notAcked = new ArrayList<>();
            int n = 100;
            String healthBody = "";
            while (Duration.between(cutAt, Instant.now()).compareTo(OUTAGE) < 0) {
                ReliabilityRig.Ack ack = post(app, n);
                assertThat(ack.status()).as("webhook during the outage").isEqualTo(503);
                refusedMillis.add(ack.millis());
                notAcked.add(n++);
                long t0 = System.nanoTime();
                HttpResponse<String> health = ReliabilityRig.get(app, "/api/health", null);
                healthMillis.add((System.nanoTime() - t0) / 1_000_000);
                assertThat(health.statusCode()).as("health during the outage").isEqualTo(503);
                healthBody = health.body();
                Thread.sleep(250);
            }
            long retryLines = app.countLog(RETRYING) + app.countLog(RECORDING) - retryLinesBefore;
            toDb.restore();
            Instant restoredAt = Instant.now();
            ReliabilityRig.await(Duration.ofSeconds(60), "health 200 after the database came back", () -> app.healthStatus() == 200,
                    () -> "health " + app.healthStatus());
            long healthBackMillis = Duration.between(restoredAt, Instant.now()).toMillis();

            // Twilio retries what was answered 503; now it is acknowledged.
            for (int m : notAcked) {
                assertThat(post(app, m).status()).as("webhook " + m + " after the outage").isEqualTo(200);
                acked.add(ReliabilityRig.customer(m));
            }
            ReliabilityRig.await(Duration.ofSeconds(120), "a reply to each of " + acked.size() + " acknowledged messages",
                    () -> rig.twilio.acceptedPerTo().keySet().containsAll(acked)
                            && rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE") == 0,
                    () -> acked.stream().filter(c -> !rig.twilio.acceptedPerTo().containsKey(c)).count() + " without a reply, "
                            + rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE") + " jobs not done");
            long allRepliedMillis = Duration.between(restoredAt, Instant.now()).toMillis();
            long duplicated = rig.twilio.acceptedPerTo().values().stream().mapToLong(c -> c - 1).sum();
            long p99Refused = ReliabilityRig.percentile(new ArrayList<>(refusedMillis), 99);
            long maxRefused = ReliabilityRig.percentile(new ArrayList<>(refusedMillis), 100);
            long maxHealth = ReliabilityRig.percentile(new ArrayList<>(healthMillis), 100);

            rig.figure("outage " + OUTAGE.toSeconds() + " s: webhooks answered 503 " + refusedMillis.size() + " (latency "
                    + ReliabilityRig.latencies(refusedMillis) + "), health 503 " + healthMillis.size() + " (max " + maxHealth
                    + " ms), worker store retries logged " + retryLines + " (2 workers), AI calls and sends in flight at the cut "
                    + twilioInFlightAtCut);
            rig.figure("recovery without restart: health 200 " + healthBackMillis + " ms after the database returned, all "
                    + acked.size() + " acknowledged messages replied " + allRepliedMillis + " ms after; duplicated " + duplicated + ", lost 0");

            assertThat(maxRefused).as("slowest 503 to a webhook during the outage, ms").isLessThan(1000);
            assertThat(maxHealth).as("slowest 503 from /api/health during the outage, ms").isLessThan(1000);
            assertThat(healthBody).as("health says nothing about the cause")
                    .doesNotContainIgnoringCase("postgres").doesNotContainIgnoringCase("jdbc")
                    .doesNotContain("Exception").doesNotContain("127.0.0.1").doesNotContain(String.valueOf(toDb.port));
            // Idle: 200 ms doubling to 10 s; recording a sent reply: 100 ms doubling to 1 s. At most ~15 tries per
            // worker in 10 s; a spinning worker would log thousands.
            assertThat(retryLines).as("worker store attempts during the outage").isBetween(1L, 40L);
            assertThat(healthBackMillis).as("ms until healthy again").isLessThan(15_000);
            assertThat(duplicated).as("replies sent twice").isZero();
        }
    }

    private static ReliabilityRig.Ack post(AppProcess app, int n) {
        return ReliabilityRig.postInbound(app, ReliabilityRig.inbound(ReliabilityRig.sid(n), ReliabilityRig.customer(n), "Hello? (" + n + ")"));
    }
}
