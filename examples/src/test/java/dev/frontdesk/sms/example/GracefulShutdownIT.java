package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.example.FakeOpenAi.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 6: SIGTERM while two replies are being sent and two are waiting for a slow AI. The process
 * stops taking jobs, lets the two sends finish, gives the two AI-bound jobs back at once, and exits well
 * within the lease; another instance then answers the released jobs without waiting for any lease to
 * expire. Nothing is lost, nothing is sent twice.
 */
class GracefulShutdownIT {
    private static final int LEASE_SECONDS = 30;

    @Test
    void sigtermFinishesSendsReleasesAiBoundJobsAndLosesNothing() throws Exception {
        try (ReliabilityRig rig = new ReliabilityRig("graceful-shutdown")) {
            rig.openai.behaviour = body -> Answer.ok(body.contains("slow") ? 60_000 : 50);
            rig.twilio.behaviour = (to, body, attempt) -> FakeTwilio.Answer.created(3000);
            Map<String, String> env = rig.env(rig.db.url());
            env.put("REPLY_WORKERS", "4");
            env.put("REPLY_LEASE_SECONDS", String.valueOf(LEASE_SECONDS));
            env.put("REPLY_SHUTDOWN_SECONDS", "20");
            AppProcess first = rig.start("first", env).awaitReady(Duration.ofSeconds(120));

            List<String> customers = List.of(ReliabilityRig.customer(1), ReliabilityRig.customer(2), ReliabilityRig.customer(3),
                    ReliabilityRig.customer(4));
            post(first, 1, "fast");
            post(first, 2, "fast");
            ReliabilityRig.await(Duration.ofSeconds(60), "two sends on the wire", () -> rig.twilio.inFlight() == 2,
                    () -> "sends in flight " + rig.twilio.inFlight());
            post(first, 3, "slow");
            post(first, 4, "slow");
            ReliabilityRig.await(Duration.ofSeconds(60), "two AI calls in flight", () -> rig.openai.inFlight.get() == 2,
                    () -> "AI calls in flight " + rig.openai.inFlight.get());

            Instant term = Instant.now();
            first.sigterm();
            assertThat(first.awaitExit(Duration.ofSeconds(LEASE_SECONDS))).as("exited within the lease").isTrue();
            long exitMillis = Duration.between(term, Instant.now()).toMillis();

            long sentBeforeExit = rig.twilio.acceptedTotal();
            long answeredBeforeExit = rig.twilio.requests().stream().filter(r -> r.accepted() && r.answered()).count();
            long storedSids = rig.db.count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND twilio_sid IS NOT NULL");
            long released = rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE AND lease_owner IS NULL");
            long done = rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = TRUE");
            long held = rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE lease_owner IS NOT NULL");

            rig.openai.behaviour = body -> Answer.ok(50);
            rig.twilio.behaviour = (to, body, attempt) -> FakeTwilio.Answer.created(50);
            AppProcess second = rig.start("second", env).awaitReady(Duration.ofSeconds(120));
            Instant ready = Instant.now();
            ReliabilityRig.await(Duration.ofSeconds(LEASE_SECONDS), "the released jobs answered by the second instance",
                    () -> rig.twilio.acceptedPerTo().keySet().containsAll(customers),
                    () -> "replied " + rig.twilio.acceptedPerTo().keySet());
            long takeoverMillis = Duration.between(ready, Instant.now()).toMillis();
            long duplicated = rig.twilio.acceptedPerTo().values().stream().mapToLong(c -> c - 1).sum();

            rig.figure("SIGTERM with 2 sends and 2 AI calls in flight: exited after " + exitMillis + " ms (exit code "
                    + first.exitValue() + "), sends finished " + answeredBeforeExit + "/" + sentBeforeExit + " and recorded " + storedSids
                    + ", jobs done " + done + ", released " + released + ", still leased " + held);
            rig.figure("second instance answered the released jobs " + takeoverMillis + " ms after it was ready (lease "
                    + LEASE_SECONDS + " s); received 4, replied " + rig.twilio.acceptedPerTo().size() + ", duplicated " + duplicated + ", lost 0");

            assertThat(exitMillis).as("ms from SIGTERM to exit").isLessThan(15_000);
            assertThat(answeredBeforeExit).as("sends in flight at SIGTERM completed").isEqualTo(2);
            assertThat(storedSids).as("and recorded").isEqualTo(2);
            assertThat(done).isEqualTo(2);
            assertThat(released).as("AI-bound jobs released").isEqualTo(2);
            assertThat(held).as("jobs left leased").isZero();
            assertThat(takeoverMillis).as("ms to take over released jobs").isLessThan(LEASE_SECONDS * 1000L / 2);
            assertThat(duplicated).isZero();
            assertThat(second.alive()).isTrue();
        }
    }

    private static void post(AppProcess app, int n, String word) {
        ReliabilityRig.Ack ack = ReliabilityRig.postInbound(app,
                ReliabilityRig.inbound(ReliabilityRig.sid(n), ReliabilityRig.customer(n), "Please call me back, " + word + " (" + n + ")"));
        assertThat(ack.status()).isEqualTo(200);
    }
}
