package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.example.FakeTwilio.Answer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 4: Twilio answers with 429 bursts (Retry-After), 5xx, slowly, refuses connections, or rejects
 * a message for good. Retries are bounded, back off with jitter and honour Retry-After; nothing Twilio
 * accepted is sent again; no more requests are on the wire at once than TWILIO_MAX_CONCURRENT_REQUESTS;
 * what finally fails is stored as failed with Twilio's error code and shown in the history API.
 */
class TwilioTroubleIT {
    private static final int CAP = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    // customers by what Twilio does to them
    private static final IntPredicate SLOW = n -> n < 20;
    private static final IntPredicate RATE_LIMITED = n -> n >= 20 && n < 30;
    private static final IntPredicate SERVER_ERRORS = n -> n >= 30 && n < 40;
    private static final IntPredicate INVALID_NUMBER = n -> n >= 40 && n < 45;
    private static final IntPredicate ALWAYS_DOWN = n -> n >= 45 && n < 48;
    private static final IntPredicate REFUSED = n -> n >= 100 && n < 110;

    @Test
    void retriesAreBoundedCappedAndNeverResendWhatTwilioAccepted() throws Exception {
        try (ReliabilityRig rig = new ReliabilityRig("twilio-trouble"); TcpProxy toTwilio = new TcpProxy(rig.twilio.port())) {
            rig.twilio.behaviour = (to, body, attempt) -> {
                int n = Integer.parseInt(to.substring(5));
                if (RATE_LIMITED.test(n) && attempt <= 2) {
                    return Answer.error(429, 20429, "1");
                }
                if (SERVER_ERRORS.test(n) && attempt <= 2) {
                    return Answer.error(attempt == 1 ? 500 : 503, attempt == 1 ? 20500 : 20503, null);
                }
                if (INVALID_NUMBER.test(n)) {
                    return Answer.error(400, 21211, null);
                }
                if (ALWAYS_DOWN.test(n)) {
                    return Answer.error(503, 20503, null);
                }
                return Answer.created(SLOW.test(n) ? 400 : 50);
            };
            Map<String, String> env = rig.env(rig.db.url());
            env.put("TWILIO_API_BASE_URL", "http://127.0.0.1:" + toTwilio.port);
            env.put("TWILIO_MAX_CONCURRENT_REQUESTS", String.valueOf(CAP));
            env.put("REPLY_WORKERS", "6");
            AppProcess app = rig.start("app", env).awaitReady(Duration.ofSeconds(120));

            // Connection refused: Twilio unreachable while these replies are due, back 3 s later.
            toTwilio.cut();
            List<Integer> refused = IntStream.range(100, 110).boxed().toList();
            for (int n : refused) {
                post(app, n);
            }
            Thread.sleep(3000);
            long refusedAttemptsLogged = app.countLog("Twilio send to");
            toTwilio.restore();

            List<Integer> others = IntStream.range(0, 48).boxed().toList();
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int n : others) {
                senders.execute(() -> post(app, n));
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

            List<Integer> all = new ArrayList<>(others);
            all.addAll(refused);
            ReliabilityRig.await(Duration.ofSeconds(240), "every reply sent or finally failed",
                    () -> rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE") == 0
                            && rig.db.count("SELECT COUNT(*) FROM reply_jobs") == all.size(),
                    () -> rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE") + " jobs not done of "
                            + rig.db.count("SELECT COUNT(*) FROM reply_jobs"));

            Map<String, Long> accepted = rig.twilio.acceptedPerTo();
            long minRetryAfterGap = Long.MAX_VALUE;
            int maxAttemptsDown = 0;
            for (int n : all) {
                String to = ReliabilityRig.customer(n);
                List<FakeTwilio.Request> requests = rig.twilio.requestsTo(to);
                long ok = accepted.getOrDefault(to, 0L);
                if (INVALID_NUMBER.test(n) || ALWAYS_DOWN.test(n)) {
                    assertThat(ok).as("accepted sends to " + n).isZero();
                } else {
                    assertThat(ok).as("accepted sends to " + n + ": " + requests).isEqualTo(1);
                }
                if (INVALID_NUMBER.test(n)) {
                    assertThat(requests).as("a rejected message is not retried").hasSize(1);
                    assertFailedInHistory(app, to, "21211");
                }
                if (ALWAYS_DOWN.test(n)) {
                    maxAttemptsDown = Math.max(maxAttemptsDown, requests.size());
                    assertThat(requests.size()).as("attempts while Twilio is down (3 per send x 5 sends)").isLessThanOrEqualTo(15);
                    assertFailedInHistory(app, to, "20503");
                }
                if (RATE_LIMITED.test(n)) {
                    for (int i = 0; i + 1 < requests.size(); i++) {
                        if (requests.get(i).status() == 429) {
                            minRetryAfterGap = Math.min(minRetryAfterGap,
                                    Duration.between(requests.get(i).answeredAt(), requests.get(i + 1).receivedAt()).toMillis());
                        }
                    }
                }
            }
            long duplicated = accepted.values().stream().mapToLong(c -> c - 1).sum();
            rig.figure("replies " + all.size() + ": accepted once " + accepted.size() + ", duplicated " + duplicated
                    + ", failed for good " + rig.db.count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND status = 'failed'")
                    + " (21211 x5 after 1 request each, 20503 x3 after at most " + maxAttemptsDown + " requests each)");
            rig.figure("Twilio requests " + rig.twilio.requests().size() + ", most on the wire at once " + rig.twilio.maxInFlight()
                    + " (cap " + CAP + ", 6 workers); shortest wait after a 429 with Retry-After: 1 was " + minRetryAfterGap
                    + " ms; send attempts logged while Twilio refused connections " + refusedAttemptsLogged);

            assertThat(duplicated).as("replies sent twice").isZero();
            assertThat(rig.twilio.maxInFlight()).as("requests to Twilio at once").isLessThanOrEqualTo(CAP);
            assertThat(minRetryAfterGap).as("ms waited after a 429 with Retry-After: 1").isGreaterThanOrEqualTo(950);
        }
    }

    private static void post(AppProcess app, int n) {
        ReliabilityRig.Ack ack = ReliabilityRig.postInbound(app,
                ReliabilityRig.inbound(ReliabilityRig.sid(n), ReliabilityRig.customer(n), "Can you come today? (" + n + ")"));
        assertThat(ack.status()).as("webhook " + n).isEqualTo(200);
    }

    /** The reply is in the lead's history as failed with Twilio's code, as staff see it. */
    private static void assertFailedInHistory(AppProcess app, String to, String code) throws Exception {
        HttpResponse<String> leads = ReliabilityRig.get(app, "/api/leads?phone=" + URLEncoder.encode(to, StandardCharsets.UTF_8),
                ReliabilityRig.API_KEY);
        long leadId = JSON.readTree(leads.body()).path("leads").get(0).path("id").asLong();
        JsonNode messages = JSON.readTree(ReliabilityRig.get(app, "/api/leads/" + leadId + "/sms", ReliabilityRig.API_KEY).body())
                .path("messages");
        JsonNode reply = messages.get(messages.size() - 1);
        assertThat(reply.path("direction").asText()).isEqualTo("outbound");
        assertThat(reply.path("status").asText()).as("status of the reply to " + to).isEqualTo("failed");
        assertThat(reply.path("errorCode").asText()).as("error code of the reply to " + to).isEqualTo(code);
    }
}
