package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.ReplyContext;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyRefusedException;
import dev.frontdesk.sms.ReplyRequest;
import dev.frontdesk.sms.ReplyResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the text of a reply as {@link ReplyPolicy} planned it: the fallback reply, or the AI's answer. For the AI
 * it adds the notes for this reply (out of hours, photos, booking details still missing), calls the generator on
 * its own thread with the {@code AI_TIMEOUT_SECONDS} deadline, runs the output check ({@link ReplyGuard}) once,
 * and records the call and any booking details read. Any failure (error, timeout, nothing said, a refused
 * answer) gives the fallback reply. After {@value #FAILURES_BEFORE_PAUSE} failures in a row the generator is
 * paused for {@link #PAUSE} and the fallback goes out without waiting for it; a refused answer is not a failure
 * of the generator. The output check runs here unless the generator runs it itself on the model's own text
 * ({@link ReplyGenerator#checksReplies()}), so that it runs once per reply. Thread-safe.
 */
public final class ReplyWriter {
    private static final Logger log = LoggerFactory.getLogger(ReplyWriter.class);

    /** Generator failures in a row (errors, timeouts) after which it is paused and fallbacks go out at once. */
    public static final int FAILURES_BEFORE_PAUSE = 5;
    /** How long the generator is paused after {@link #FAILURES_BEFORE_PAUSE} failures in a row. */
    public static final Duration PAUSE = Duration.ofSeconds(30);

    private final FrontDeskConfig config;
    private final ReplyGenerator generator;
    /** The output check, or null when the generator runs it itself. */
    private final ReplyGuard guard;
    private final FrontDeskMetrics metrics;
    private final Clock clock;
    private final ExecutorService aiExecutor;
    private final boolean ownsAiExecutor;
    /** Generator calls in flight, cancelled by {@link #stop()} so their jobs are released at once. */
    private final Set<Future<?>> aiCalls = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile Instant pausedUntil = Instant.MIN;
    private volatile boolean stopping;

    /** @param aiExecutor runs generator calls; null for a cached pool of daemon threads owned (and closed) by this writer */
    public ReplyWriter(FrontDeskConfig config, ReplyGenerator generator, FrontDeskMetrics metrics,
            Clock clock, ExecutorService aiExecutor) {
        this.config = Objects.requireNonNull(config, "config");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.guard = generator.checksReplies() ? null : ReplyGuard.of(config, generator);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ownsAiExecutor = aiExecutor == null;
        this.aiExecutor = aiExecutor != null ? aiExecutor : Executors.newCachedThreadPool(ReplyWorkers.daemon("frontdesk-ai"));
    }

    /**
     * The reply {@code plan} asks for: the fallback reply for its reason, or the AI's answer to the lead's
     * conversation, texted to the business at {@code from}.
     *
     * @throws ReleasedAtShutdown when shutdown interrupted the AI call (nothing is sent; the job is given back)
     */
    public Reply write(ReplyContext context, String from, ReplyPlan plan) {
        Lead lead = context.lead();
        ReplyJob job = context.job();
        if (!plan.ai()) {
            return fallback(plan.fallbackReason(), plan.followUp(), context, from);
        }
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil)) {
            // The generator failed FAILURES_BEFORE_PAUSE times in a row: answer at once instead of
            // making every customer wait the full AI deadline during an outage.
            log.info("Reply generator paused after repeated failures; sending the fallback reply to lead {}", lead.id());
            return fallback("ai_paused", plan.followUp(), context, from);
        }
        List<Message> conversation = context.history();
        ReplyRequest request = new ReplyRequest(config.businessProfileFor(from), lead, conversation,
                now.plus(config.replies().aiTimeout()), notes(job, lead, conversation, plan.followUp(), now));
        long started = System.nanoTime();
        Future<ReplyResult> call = aiExecutor.submit(() -> generator.generate(request));
        aiCalls.add(call);
        String outcome = "failed";
        ReplyResult result = null;
        try {
            if (stopping) {
                call.cancel(true);
            }
            result = call.get(config.replies().aiTimeout().toMillis(), TimeUnit.MILLISECONDS);
            failuresInARow.set(0);
            outcome = check(lead, result == null ? null : result.reply());
        } catch (CancellationException e) {
            throw new ReleasedAtShutdown();
        } catch (TimeoutException e) {
            call.cancel(true);
            failed();
            outcome = "timeout";
            log.warn("Reply generator took longer than {} s for lead {}; sending the fallback reply",
                    config.replies().aiTimeout().toSeconds(), lead.id());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplyRefusedException refused) {
                // The model answered; its answer was unsafe. Not an outage, so the AI is not paused for it.
                failuresInARow.set(0);
                outcome = "refused";
                log.warn("Reply for lead {} failed the output check ({}); sending the fallback reply", lead.id(),
                        LogSafe.message(refused.getMessage(), 200));
            } else {
                failed();
                log.warn("Reply generator failed for lead {} ({}); sending the fallback reply", lead.id(),
                        LogSafe.message(e.getCause(), 200));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new ReleasedAtShutdown();
        } finally {
            aiCalls.remove(call);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        metrics.aiCall(latency, outcome);
        // Recorded by the runner with the reply (the details) and with its sending (the call): no commit of its own.
        AiCall aiCall = new AiCall(lead.id(), job.id(), result != null && result.model() != null ? result.model() : config.setup().aiModel(),
                outcome, result == null ? 0 : result.promptTokens(), result == null ? 0 : result.completionTokens(),
                latency.toMillis(), clock.instant());
        Map<Qualification.Field, String> learned = result == null ? Map.of() : result.qualification();
        boolean handoff = result != null && result.handoffRequested();
        if (!outcome.equals("ok")) {
            return fallback("ai_failed", plan.followUp(), context, from).from(aiCall, learned, handoff);
        }
        return new Reply(result.reply().strip(), "ai", plan.followUp().isPresent()).from(aiCall, learned, handoff);
    }

    /** The outcome of the generator's answer: {@code ok}, {@code empty} or {@code refused} (logged). */
    private String check(Lead lead, String reply) {
        if (reply == null || reply.isBlank()) {
            log.warn("Reply generator gave no text for lead {}; sending the fallback reply", lead.id());
            return "empty";
        }
        Optional<String> refused = guard == null ? Optional.empty() : guard.check(reply.strip());
        if (refused.isPresent()) {
            log.warn("Reply for lead {} failed the output check ({}); sending the fallback reply", lead.id(),
                    LogSafe.message(refused.get(), 200));
            return "refused";
        }
        return "ok";
    }

    /** The fallback reply, telling the customer when a person follows up if {@code followUp} says so and it fits. */
    public Reply fallback(String reason, Optional<String> followUp) {
        return fallback(reason, followUp, config.replies().fallback());
    }

    /** {@link #fallback(String, Optional)} for the job of {@code context}: a missed call and a follow-up get texts of their own. */
    private Reply fallback(String reason, Optional<String> followUp, ReplyContext context, String from) {
        if (context.job().kind() == ReplyJob.Kind.MISSED_CALL) {
            return fallback(reason, followUp, missedCallText(config.businessProfileFor(from).name()));
        }
        if (context.job().kind() == ReplyJob.Kind.FOLLOW_UP) {
            return fallback(reason, followUp, FollowUps.fallbackText(config.businessProfileFor(from).name()));
        }
        return fallback(reason, followUp);
    }

    private Reply fallback(String reason, Optional<String> followUp, String base) {
        metrics.fallbackReply(reason);
        if (followUp.isEmpty()) {
            return new Reply(base, "fallback", false);
        }
        String text = base + " We're closed right now; a person from our team will follow up " + followUp.get() + ".";
        boolean fits = text.length() <= FrontDesk.MAX_BODY_CHARS;
        return new Reply(fits ? text : base, "fallback", fits);
    }

    /** The text a caller nobody answered gets when the AI cannot write one. */
    static String missedCallText(String businessName) {
        return "Sorry we missed your call! This is " + businessName + ". How can we help? Reply here and we'll get back to you.";
    }

    /** The note a missed call's reply is written with (from the front desk, never from customer text). */
    static final String MISSED_CALL_NOTE = "The customer just called the business and nobody answered. This text is the first"
            + " answer to that call: say sorry the call was missed and ask how the business can help. Do not say anyone will call back.";

    /** What the generator is told about this reply besides the conversation. */
    private List<String> notes(ReplyJob job, Lead lead, List<Message> conversation, Optional<String> followUp, Instant now) {
        List<String> notes = new ArrayList<>();
        if (job.kind() == ReplyJob.Kind.MISSED_CALL) {
            notes.add(MISSED_CALL_NOTE);
        } else if (job.kind() == ReplyJob.Kind.FOLLOW_UP) {
            notes.add(FollowUps.NOTE);
        }
        if (followUp.isPresent()) {
            notes.add("It is outside business hours now. Still help the customer now, and tell them once that a person from the team will follow up "
                    + followUp.get() + ".");
        } else if (!config.business().hours().isOpen(now) && config.business().hours().nextOpening(now).isPresent()) {
            notes.add("It is outside business hours now. The customer has already been told when a person follows up; do not say it again.");
        }
        int photos = photosInLatestTexts(conversation);
        if (photos > 0) {
            notes.add("The customer's latest message came with " + photos + (photos == 1 ? " photo" : " photos")
                    + " (attachments you cannot see). Thank them for " + (photos == 1 ? "it" : "them")
                    + " and say the team will look at " + (photos == 1 ? "it" : "them") + ".");
        }
        List<Qualification.Field> missing = lead.qualification().missing();
        if (!missing.isEmpty()) {
            notes.add("Booking details still missing: " + String.join(", ", missing.stream().map(ReplyWriter::words).toList())
                    + ". Ask for only the first of these that the customer has not given yet, one question per message,"
                    + " after answering what they asked.");
        }
        return notes;
    }

    /** Media on the customer's texts since the business last wrote. */
    private static int photosInLatestTexts(List<Message> conversation) {
        int n = 0;
        for (int i = conversation.size() - 1; i >= 0 && conversation.get(i).direction() == Direction.INBOUND; i--) {
            n += conversation.get(i).media().size();
        }
        return n;
    }

    private static String words(Qualification.Field f) {
        switch (f) {
            case NAME: return "their name";
            case SERVICE: return "the service they need";
            case ADDRESS: return "the address or area";
            case URGENCY: return "how urgent it is";
            case PREFERRED_TIME: return "when they would like someone to come";
            default: return f.wireName();
        }
    }

    private void failed() {
        if (failuresInARow.incrementAndGet() >= FAILURES_BEFORE_PAUSE) {
            failuresInARow.set(0);
            pausedUntil = clock.instant().plus(PAUSE);
            log.warn("Reply generator failed {} times in a row; fallback replies only for the next {} s",
                    FAILURES_BEFORE_PAUSE, PAUSE.toSeconds());
        }
    }

    /** Shutdown begins: generator calls in flight and any started from now on are cancelled, so their jobs are given back. */
    public void stop() {
        stopping = true;
        for (Future<?> call : aiCalls) {
            call.cancel(true);
        }
    }

    /** Stops the generator's threads if this writer owns them. */
    public void close() {
        if (ownsAiExecutor) {
            aiExecutor.shutdownNow();
        }
    }
}
