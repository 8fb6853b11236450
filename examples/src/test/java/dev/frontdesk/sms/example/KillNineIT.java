package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.example.FakeOpenAi.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 2: app processes killed with SIGKILL while webhooks, AI calls and Twilio sends are in flight,
 * every few hundred messages, and restarted. Every acknowledged message still gets its reply, no reply job
 * stays stuck, and every duplicate is a send that was on the wire when its sender died (the fake Twilio
 * answered, the killed process never recorded the SID); there are at most workers x kills of them.
 */
class KillNineIT {
    private static final int MESSAGES = Integer.getInteger("reliability.kill.messages", 1200);
    private static final int KILL_EVERY = Integer.getInteger("reliability.kill.every", 300);
    private static final int WORKERS = 4;

    @Test
    void killNineAtAnyMomentLosesNoAcknowledgedMessage() throws Exception {
        try (ReliabilityRig rig = new ReliabilityRig("kill-9")) {
            // Slow enough that each kill lands with AI calls and sends in flight.
            rig.openai.behaviour = body -> Answer.ok(ThreadLocalRandom.current().nextLong(50, 400));
            rig.twilio.behaviour = (to, body, attempt) -> FakeTwilio.Answer.created(ThreadLocalRandom.current().nextLong(20, 150));
            Map<String, String> env = rig.env(rig.db.url());
            env.put("REPLY_WORKERS", String.valueOf(WORKERS));
            List<AppProcess> live = new CopyOnWriteArrayList<>();
            live.add(rig.start("a", env).awaitReady(Duration.ofSeconds(120)));
            live.add(rig.start("b", env).awaitReady(Duration.ofSeconds(120)));

            Map<String, Instant> acked = new ConcurrentHashMap<>();
            AtomicInteger posted = new AtomicInteger();
            AtomicInteger unanswered = new AtomicInteger();
            ConcurrentLinkedQueue<Long> ackMillis = new ConcurrentLinkedQueue<>();
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int i = 0; i < MESSAGES; i++) {
                int n = i;
                senders.execute(() -> {
                    Map<String, String> params = ReliabilityRig.inbound(ReliabilityRig.sid(n), ReliabilityRig.customer(n),
                            "Hi, water everywhere (message " + n + ")");
                    Instant giveUp = Instant.now().plusSeconds(180);
                    for (int attempt = 0; Instant.now().isBefore(giveUp); attempt++) {
                        List<AppProcess> now = new ArrayList<>(live);
                        AppProcess target = now.get((n + attempt) % now.size());
                        posted.incrementAndGet();
                        ReliabilityRig.Ack ack = ReliabilityRig.postInbound(target, params);
                        if (ack.ok()) {
                            ackMillis.add(ack.millis());
                            acked.put(ReliabilityRig.customer(n), Instant.now());
                            return;
                        }
                        unanswered.incrementAndGet(); // killed mid-request, or not up yet: Twilio tries again
                        sleep(50);
                    }
                });
            }
            senders.shutdown();

            List<Instant> killTimes = new ArrayList<>();
            List<Set<String>> pendingAtKill = new ArrayList<>();
            List<Set<String>> orphanedAtKill = new ArrayList<>();
            List<Integer> twilioInFlightAtKill = new ArrayList<>();
            int kills = Math.max(1, MESSAGES / KILL_EVERY - 1);
            for (int k = 1; k <= kills; k++) {
                int threshold = k * KILL_EVERY;
                ReliabilityRig.await(Duration.ofSeconds(300), threshold + " acknowledged webhooks", () -> acked.size() >= threshold,
                        () -> "acknowledged " + acked.size());
                AppProcess victim = live.get(k % live.size());
                Set<String> answered = rig.twilio.acceptedPerTo().keySet();
                Set<String> pending = new HashSet<>(acked.keySet());
                pending.removeAll(answered);
                live.remove(victim);
                twilioInFlightAtKill.add(rig.twilio.inFlight());
                victim.kill9();
                killTimes.add(Instant.now());
                pendingAtKill.add(pending);
                // The jobs the victim's workers held when it died: these wait for their leases to run out.
                orphanedAtKill.add(Set.copyOf(rig.db.strings("SELECT m.from_number FROM reply_jobs j JOIN messages m"
                        + " ON m.id = j.inbound_message_id WHERE j.done = FALSE AND j.lease_owner LIKE '" + workerPrefix(victim) + "-%'")));
                live.add(rig.start(victim.name.replaceAll("\\d+$", "") + (k + 1), env).awaitReady(Duration.ofSeconds(120)));
            }
            assertThat(senders.awaitTermination(5, TimeUnit.MINUTES)).isTrue();

            ReliabilityRig.await(Duration.ofSeconds(240), "a reply to each of " + acked.size() + " acknowledged messages",
                    () -> rig.twilio.acceptedPerTo().keySet().containsAll(acked.keySet())
                            && rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE") == 0,
                    () -> "replied " + rig.twilio.acceptedPerTo().size() + " of " + acked.size() + ", jobs not done "
                            + rig.db.count("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE"));

            // Every duplicate must be explained: a send accepted by Twilio whose SID its (killed) sender never stored.
            Set<String> storedSids = new HashSet<>(rig.db.strings("SELECT twilio_sid FROM messages WHERE direction = 'outbound' AND twilio_sid IS NOT NULL"));
            Set<String> killedAccounts = rig.accounts.entrySet().stream()
                    .filter(e -> rig.processes.stream().anyMatch(p -> e.getValue().equals(p.name + "#" + p.pid()) && !p.alive()))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            Map<String, List<FakeTwilio.Request>> acceptedByTo = rig.twilio.requests().stream().filter(FakeTwilio.Request::accepted)
                    .collect(Collectors.groupingBy(FakeTwilio.Request::to));
            long duplicated = 0;
            List<String> unexplained = new ArrayList<>();
            for (List<FakeTwilio.Request> sends : acceptedByTo.values()) {
                if (sends.size() < 2) {
                    continue;
                }
                duplicated += sends.size() - 1;
                long lostAnswers = sends.stream().filter(r -> !storedSids.contains(r.sid()) && killedAccounts.contains(r.account())).count();
                if (lostAnswers < sends.size() - 1) {
                    unexplained.add(sends.get(0).to() + ": " + sends);
                }
            }
            long backlogMillis = 0;
            long recoveryMillis = 0;
            int orphaned = 0;
            for (int k = 0; k < killTimes.size(); k++) {
                Instant kill = killTimes.get(k);
                for (String to : pendingAtKill.get(k)) {
                    backlogMillis = Math.max(backlogMillis, Duration.between(kill, lastReply(acceptedByTo, to)).toMillis());
                }
                for (String to : orphanedAtKill.get(k)) {
                    orphaned++;
                    recoveryMillis = Math.max(recoveryMillis, Duration.between(kill, lastReply(acceptedByTo, to)).toMillis());
                }
            }
            long stored = rig.db.count("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'");
            long lost = acked.keySet().stream().filter(to -> !acceptedByTo.containsKey(to)).count();
            rig.figure("messages " + MESSAGES + ", webhooks posted " + posted.get() + " (" + unanswered.get() + " not acknowledged, posted again),"
                    + " acknowledged " + acked.size() + ", stored " + stored + ", replied " + acceptedByTo.size() + ", lost " + lost
                    + ", kills " + killTimes.size() + ", Twilio sends in flight at the kills " + twilioInFlightAtKill
                    + ", duplicated " + duplicated + " (bound " + WORKERS * killTimes.size() + "), unexplained duplicates " + unexplained.size());
            rig.figure("recovery: " + orphaned + " jobs held by killed workers, the last of them answered " + recoveryMillis
                    + " ms after its kill (lease " + env.get("REPLY_LEASE_SECONDS") + " s); backlog of messages acknowledged before a kill"
                    + " drained " + backlogMillis + " ms after it; ack latency " + ReliabilityRig.latencies(ackMillis));

            assertThat(lost).as("acknowledged messages without a reply").isZero();
            assertThat(stored).as("each MessageSid stored once").isEqualTo(MESSAGES);
            assertThat(rig.db.count("SELECT COUNT(*) FROM reply_jobs")).isEqualTo(MESSAGES);
            assertThat(unexplained).as("duplicates not explained by a send in flight at a kill").isEmpty();
            assertThat(duplicated).as("duplicates").isLessThanOrEqualTo((long) WORKERS * killTimes.size());
            assertThat(recoveryMillis).as("ms until the last job held by a killed worker was answered").isLessThan(30_000);
        }
    }

    /** The reply that finally reached the customer (a duplicate's second send counts: that is the recovery). */
    private static Instant lastReply(Map<String, List<FakeTwilio.Request>> acceptedByTo, String to) {
        List<FakeTwilio.Request> sends = acceptedByTo.get(to);
        if (sends == null) {
            throw new AssertionError("The message from " + to + " was never answered");
        }
        return sends.stream().map(FakeTwilio.Request::receivedAt).max(Instant::compareTo).orElseThrow();
    }

    /** The worker-name prefix a process logs at start ("Reply workers started: 4 x frontdesk-1a2b3c4d"). */
    private static String workerPrefix(AppProcess app) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Reply workers started: \\d+ x (\\S+)").matcher(app.logText());
        if (!m.find()) {
            throw new AssertionError("No 'Reply workers started' line in the log of " + app);
        }
        return m.group(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
