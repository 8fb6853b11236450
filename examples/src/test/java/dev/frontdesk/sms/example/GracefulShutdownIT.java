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

    /**
     * Issue 14 item 5: with the default budgets (no {@code REPLY_SHUTDOWN_SECONDS}), SIGTERM while a send is on
     * the wire, a send is stuck in Twilio's {@code Retry-After} far longer than any budget, an AI call never
     * answers and a staff request holds Jetty: the process exits within the budgets (the HTTP stop and the
     * reply shutdown, which run side by side; their sum is under 30 s), the send on the wire finished and was
     * recorded, and the AI-bound job was given back at once, not after the HTTP stop.
     */
    @Test
    void sigtermWithTheDefaultBudgetsStopsWithinThirtySecondsAndFinishesTheSendInFlight() throws Exception {
        Duration httpStop = ExampleApp.HTTP_STOP_TIMEOUT;
        Duration replyShutdown = dev.frontdesk.sms.FrontDesk.DEFAULT_SHUTDOWN_TIMEOUT;
        assertThat(httpStop.plus(replyShutdown)).as("the budgets together fit a 30 s grace period").isLessThanOrEqualTo(Duration.ofSeconds(30));
        // What the stop may take beyond the budgets: the JVM's exit and the pool's close, on a loaded machine.
        Duration bound = httpStop.plus(replyShutdown).plusSeconds(3);

        try (ReliabilityRig rig = new ReliabilityRig("shutdown-budget")) {
            String onTheWire = ReliabilityRig.customer(11);
            String stuck = ReliabilityRig.customer(12);
            String waitingForAi = ReliabilityRig.customer(13);
            String staffCustomer = ReliabilityRig.customer(14);
            rig.openai.behaviour = body -> Answer.ok(body.contains("slow") ? 120_000 : 50);
            rig.twilio.behaviour = (to, body, attempt) -> {
                if (to.equals(stuck)) {
                    // Retry-After within the gateway's 20 s budget, then an answer just inside its read timeout:
                    // about 32 s in all, longer than any shutdown budget.
                    return attempt == 1 ? FakeTwilio.Answer.error(429, 20429, "18") : FakeTwilio.Answer.created(14_000);
                }
                if (to.equals(staffCustomer)) {
                    return FakeTwilio.Answer.created(14_000);
                }
                return FakeTwilio.Answer.created(8_000); // on the wire at SIGTERM, done well within the budget
            };
            Map<String, String> env = rig.env(rig.db.url());
            env.remove("REPLY_SHUTDOWN_SECONDS"); // the default is what is measured
            env.put("REPLY_LEASE_SECONDS", "60");
            AppProcess app = rig.start("app", env).awaitReady(Duration.ofSeconds(120));

            postFrom(app, 11, onTheWire, "fast");
            postFrom(app, 12, stuck, "stuck");
            postFrom(app, 13, waitingForAi, "slow");
            ReliabilityRig.await(Duration.ofSeconds(60), "the stuck send waiting out its Retry-After",
                    () -> rig.twilio.requestsTo(stuck).size() == 1, () -> "requests " + rig.twilio.requestsTo(stuck));
            ReliabilityRig.await(Duration.ofSeconds(60), "the AI call in flight", () -> rig.openai.inFlight.get() == 1,
                    () -> "AI calls in flight " + rig.openai.inFlight.get());
            java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> staff = java.net.http.HttpClient.newHttpClient()
                    .sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url("/api/twilio/sms/outbound")))
                            .header("Authorization", "Bearer " + ReliabilityRig.API_KEY).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"phoneNumber\": \"" + staffCustomer
                                    + "\", \"message\": \"We are on our way\", \"force\": true}")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            ReliabilityRig.await(Duration.ofSeconds(60), "the send and the staff request on the wire",
                    () -> rig.twilio.inFlight() == 2, () -> "sends in flight " + rig.twilio.inFlight());

            Instant term = Instant.now();
            app.sigterm();
            String releasedSql = "SELECT COUNT(*) FROM reply_jobs j JOIN leads l ON l.id = j.lead_id WHERE l.phone_number = '"
                    + waitingForAi + "' AND j.done = FALSE AND j.lease_owner IS NULL";
            ReliabilityRig.await(bound, "the AI-bound job released", () -> rig.db.count(releasedSql) == 1, () -> "not released");
            long releasedMillis = Duration.between(term, Instant.now()).toMillis();
            boolean exited = app.awaitExit(bound.plusSeconds(30));
            long exitMillis = Duration.between(term, Instant.now()).toMillis();
            staff.cancel(true);

            long recorded = rig.db.count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND to_number = '" + onTheWire
                    + "' AND twilio_sid IS NOT NULL");
            rig.figure("SIGTERM with default budgets (HTTP stop " + httpStop.toSeconds() + " s, replies " + replyShutdown.toSeconds()
                    + " s): AI-bound job released after " + releasedMillis + " ms, exited after " + exitMillis + " ms (bound "
                    + bound.toMillis() + " ms), send on the wire recorded " + recorded + "/1");

            assertThat(exited).as("exited at all").isTrue();
            assertThat(exitMillis).as("ms from SIGTERM to exit").isLessThanOrEqualTo(bound.toMillis()).isLessThanOrEqualTo(30_000);
            assertThat(recorded).as("the send on the wire at SIGTERM finished and was recorded").isEqualTo(1);
            assertThat(rig.twilio.requestsTo(onTheWire)).as("sent once").hasSize(1);
            assertThat(releasedMillis).as("ms to give back the AI-bound job (not after the HTTP stop)").isLessThan(httpStop.toMillis());
        }
    }

    private static void postFrom(AppProcess app, int n, String from, String word) {
        ReliabilityRig.Ack ack = ReliabilityRig.postInbound(app,
                ReliabilityRig.inbound(ReliabilityRig.sid(n), from, "Please call me back, " + word + " (" + n + ")"));
        assertThat(ack.status()).isEqualTo(200);
    }

    private static void post(AppProcess app, int n, String word) {
        ReliabilityRig.Ack ack = ReliabilityRig.postInbound(app,
                ReliabilityRig.inbound(ReliabilityRig.sid(n), ReliabilityRig.customer(n), "Please call me back, " + word + " (" + n + ")"));
        assertThat(ack.status()).isEqualTo(200);
    }
}
