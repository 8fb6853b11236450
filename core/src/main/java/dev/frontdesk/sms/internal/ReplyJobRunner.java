package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.DuplicateTwilioSidException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.RecordedReply;
import dev.frontdesk.sms.ReplyClaim;
import dev.frontdesk.sms.ReplyContext;
import dev.frontdesk.sms.ReplyFindings;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.SmsSendException;
import dev.frontdesk.sms.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one reply job from claim to record. The job is claimed with a lease, renewed every third of it while the
 * job runs. A job already answered is completed; a reply recorded but not sent (its worker died) is sent again;
 * otherwise {@link ReplyPolicy} decides and {@link ReplyWriter} writes the reply, which is recorded as pending and
 * sent only while this worker still holds the lease (the fence). Twilio's answer is recorded with the job's
 * completion, retried while the store is down, since the message is out. A retryable refusal runs the job again
 * later with backoff, up to the attempts allowed; a job interrupted by shutdown before anything was sent is given
 * back at once. Thread-safe.
 */
public final class ReplyJobRunner {
    private static final Logger log = LoggerFactory.getLogger(ReplyJobRunner.class);

    /** How long a worker keeps trying to record a reply Twilio accepted while the store is unavailable. */
    private static final Duration RECORD_AFTER_SEND_FOR = Duration.ofSeconds(60);

    private final FrontDeskConfig config;
    private final LeadRepository repository;
    private final SmsGateway gateway;
    private final Outbox outbox;
    private final ReplyPolicy policy;
    private final ReplyWriter writer;
    private final FrontDeskMetrics metrics;
    private final Clock clock;
    private final Duration lease;
    private final int maxSendAttempts;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(ReplyWorkers.daemon("frontdesk-lease"));
    /** Jobs whose reply Twilio accepted and whose worker is still trying to record that in the store. */
    private final Set<Long> recording = ConcurrentHashMap.newKeySet();
    private final Consumer<Instant> rescheduled;

    /**
     * @param lease           how long a claimed job is held before another worker may take it
     * @param maxSendAttempts send attempts of a reply before it is recorded as failed
     * @param rescheduled     told when a job is given back to run later, so that a worker is woken then (workers no
     *                        longer look for more work after each job: each due job wakes one)
     */
    public ReplyJobRunner(FrontDeskConfig config, LeadRepository repository, SmsGateway gateway, Outbox outbox,
            ReplyPolicy policy, ReplyWriter writer, FrontDeskMetrics metrics, Clock clock, Duration lease, int maxSendAttempts,
            Consumer<Instant> rescheduled) {
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.maxSendAttempts = maxSendAttempts;
        this.rescheduled = Objects.requireNonNull(rescheduled, "rescheduled");
    }

    /** Gives the job back to run at {@code runAt}, and has a worker woken then. */
    private void retryLater(ReplyJob job, String workerId, String error, Instant runAt) {
        if (repository.replyQueue().retryLater(job.id(), workerId, error, runAt)) {
            rescheduled.accept(runAt);
        }
    }

    /**
     * What one {@link #runNext} did.
     *
     * @param ran       whether a job was claimed (and run)
     * @param nextDueAt when nothing was claimed: when the next job becomes claimable, or null when none is pending
     */
    public record Step(boolean ran, Instant nextDueAt) {
    }

    /**
     * Claims and runs one due reply job as {@code workerId}. An answered text costs the store five transactions
     * here: the claim with the job's whole context, the cap note, the reply recorded with the lease fenced, and
     * Twilio's answer recorded with the AI call and the job's completion (the sixth is the webhook's).
     *
     * @throws StoreUnavailableException when the store is down (the lease runs out and another attempt takes the job)
     */
    public Step runNext(String workerId) {
        ReplyQueue queue = repository.replyQueue();
        Instant now = clock.instant();
        ReplyClaim claim = queue.claimNext(workerId, lease, now, config.replies().historyLimit(), now.minus(ReplyPolicy.AI_CAP_WINDOW));
        if (claim.claimed().isEmpty()) {
            return new Step(false, claim.nextDueAt());
        }
        ReplyContext context = claim.context();
        ReplyJob job = context.job();
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(
                () -> extendLease(job, workerId), lease.toMillis() / 3, lease.toMillis() / 3, TimeUnit.MILLISECONDS);
        try {
            run(context, workerId);
        } catch (ReleasedAtShutdown e) {
            // Nothing was sent: give the job back now rather than let another instance wait for the lease.
            boolean interrupted = Thread.interrupted(); // so the pool hands out a connection for the release
            retryLater(job, workerId, "released at shutdown", clock.instant());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            log.info("Reply job {} released at shutdown; another worker takes it over", job.id());
        } catch (StoreUnavailableException e) {
            throw e; // the lease runs out and another attempt picks the job up
        } catch (RuntimeException e) {
            log.error("Reply job {} failed; it will be retried", job.id(), LogSafe.exception(e));
            retryLater(job, workerId, LogSafe.truncate(LogSafe.error(e), 200),
                    clock.instant().plus(retryDelay(job.attempts())));
        } finally {
            heartbeat.cancel(false);
        }
        return new Step(true, null);
    }

    private void extendLease(ReplyJob job, String workerId) {
        try {
            repository.replyQueue().extendLease(job.id(), workerId, clock.instant().plus(lease));
        } catch (RuntimeException e) {
            log.warn("Could not extend the lease of reply job {}: {}", job.id(), LogSafe.error(e));
        }
    }

    private void run(ReplyContext context, String workerId) {
        ReplyQueue queue = repository.replyQueue();
        ReplyJob job = context.job();
        if (recording.contains(job.id())) {
            // Its lease ran out while the store was down, but the reply went out: leave it to that worker.
            retryLater(job, workerId, "reply sent, being recorded", clock.instant().plus(lease));
            return;
        }
        Optional<Message> earlier = context.earlierReply();
        if (earlier.isPresent() && earlier.get().status() != MessageStatus.PENDING) {
            // Answered already: an earlier worker sent it and died before completing the job.
            queue.complete(job.id(), workerId, clock.instant());
            return;
        }
        Lead lead = context.lead();
        if (lead == null || lead.smsOptOut()) {
            queue.complete(job.id(), workerId, clock.instant());
            return;
        }
        if (earlier.isPresent()) {
            // An earlier worker recorded the reply and died before Twilio's answer was stored: send again.
            // This is the one place a customer may get a reply twice (see README, "Delivery guarantees").
            // Fence: a worker that lost its lease (paused past it) must not send what the new holder will send.
            if (!queue.extendLease(job.id(), workerId, clock.instant().plus(lease))) {
                log.warn("Reply job {} is no longer held by {}; not sending", job.id(), workerId);
                return;
            }
            send(context, workerId, earlier.get(), null);
            return;
        }
        Optional<ReplyPlan> plan = policy.plan(context, workerId);
        if (plan.isEmpty()) {
            return;
        }
        // The reply goes out from the number the customer texted (several numbers may share one desk),
        // when that is one of the business's numbers: a webhook's To is not proof of that.
        String texted = job.kind() == ReplyJob.Kind.FOLLOW_UP ? FollowUps.lastTexted(context.history()) : context.textedNumber();
        String from = config.replyFromNumber(Channel.WHATSAPP.number(texted));
        Reply reply = writer.write(context, from, plan.get());
        Optional<Message> recorded = record(context, workerId, context.lead().channel().address(from), reply);
        if (recorded.isPresent()) {
            send(context, workerId, recorded.get(), reply);
        }
    }

    /**
     * Records the written reply as pending, the lease fenced, in one store call; empty (the job completed or lost)
     * when staff took the lead over meanwhile, in test mode for a number not verified (recorded as failed), when
     * the reply was recorded already, or when this worker no longer holds the job.
     */
    private Optional<Message> record(ReplyContext context, String workerId, String from, Reply reply) {
        ReplyQueue queue = repository.replyQueue();
        ReplyJob job = context.job();
        Lead lead = context.lead();
        Instant now = clock.instant();
        boolean unverified = config.twilio().testMode() && !gateway.isVerified(lead.phoneNumber());
        NewOutboundMessage message = new NewOutboundMessage(lead.id(), from, lead.address(), reply.text(),
                unverified ? MessageStatus.FAILED : MessageStatus.PENDING, unverified ? "unverified_number" : null,
                SmsSegments.count(reply.text()), job.id(), now);
        RecordedReply recorded = queue.recordReply(job.id(), workerId, now.plus(lease), message, findings(context, reply));
        if (recorded.takenOver()) {
            if (job.kind() == ReplyJob.Kind.FOLLOW_UP) {
                log.info("Lead {} texted or was taken over while its follow-up was written; follow-up dropped", lead.id());
            } else {
                log.info("🙋 Staff took lead {} over while its reply was written; reply dropped", lead.id());
            }
            recordAiCallAlone(reply);
            return Optional.empty();
        }
        if (recorded.message() == null) {
            log.warn("Reply job {} is no longer held by {}; not sending", job.id(), workerId);
            recordAiCallAlone(reply);
            return Optional.empty();
        }
        if (unverified) {
            log.warn("⚠️  Test mode: reply to {} not sent, the number is not verified", lead.phoneNumber().masked());
            recordAiCallAlone(reply);
            queue.complete(job.id(), workerId, clock.instant());
            return Optional.empty();
        }
        if (recorded.message().status() != MessageStatus.PENDING) {
            queue.complete(job.id(), workerId, clock.instant());
            return Optional.empty();
        }
        return Optional.of(recorded.message());
    }

    /**
     * What this reply learned: the AI's booking details, and whether the customer asks for a person (the AI's flag,
     * or the customer's latest texts in so many words, which also covers fallback replies).
     */
    static ReplyFindings findings(ReplyContext context, Reply reply) {
        return new ReplyFindings(reply.learned(), reply.handoffRequested() || HandoffPhrases.inLatestTexts(context.history()));
    }

    /** The AI call of a reply that is not sent (or not sent now), which still counts for usage and cost. */
    private void recordAiCallAlone(Reply reply) {
        if (reply != null && reply.aiCall() != null) {
            repository.usage().recordAiCall(reply.aiCall());
        }
    }

    /** Sends the pending reply and records the outcome; {@code reply} is null when an earlier worker wrote it. */
    private void send(ReplyContext context, String workerId, Message pending, Reply reply) {
        ReplyQueue queue = repository.replyQueue();
        ReplyJob job = context.job();
        Lead lead = context.lead();
        try {
            SendResult result = outbox.transmit(pending, lead);
            log.info("✅ SMS sent successfully: {}", result.sid());
            recordSent(job, workerId, pending, result, reply, reply == null ? 0 : context.historyThroughId());
            metrics.replySent(reply == null ? "retry" : reply.kind());
            if (reply != null && reply.afterHoursNotice()) {
                try {
                    repository.leads().markAfterHoursNotice(lead.id(), clock.instant());
                } catch (RuntimeException e) {
                    log.warn("Could not record the after-hours notice for lead {}: {}", lead.id(), LogSafe.error(e));
                }
            }
        } catch (SmsSendException e) {
            recordAiCallAlone(reply);
            if (e.retryable() && !e.outcomeUnknown() && job.attempts() < maxSendAttempts) {
                Duration delay = retryDelay(job.attempts());
                log.warn("Reply to {} not sent yet ({}); retrying in {} ms", lead.phoneNumber().masked(), LogSafe.message(e.getMessage(), 300), delay.toMillis());
                retryLater(job, workerId, LogSafe.message(e.getMessage(), 200), clock.instant().plus(delay));
                return;
            }
            outbox.recordRefusal(pending, lead, e);
            queue.complete(job.id(), workerId, clock.instant());
        } catch (DuplicateTwilioSidException e) {
            log.error("Twilio answered with a SID stored for another message; reply {} kept as sent without SID", pending.id());
            recordAiCallAlone(reply);
            repository.messages().markFailed(pending.id(), MessageStatus.FAILED, "duplicate_twilio_sid");
            queue.complete(job.id(), workerId, clock.instant());
        }
    }

    /**
     * Stores Twilio's answer, the AI call and the job's completion in one store call. The message is out, so a
     * store outage here must not make the job run again (that would text the customer twice): keep trying for a
     * while, holding the lease (the heartbeat renews it as soon as the store answers again).
     */
    private void recordSent(ReplyJob job, String workerId, Message pending, SendResult result, Reply reply, long answeredThrough) {
        Instant giveUp = clock.instant().plus(RECORD_AFTER_SEND_FOR);
        long waitMillis = 100;
        while (true) {
            try {
                Instant now = clock.instant();
                Instant followUpAt = followUpAt(job, now);
                repository.replyQueue().completeSent(job.id(), workerId, pending.id(), result,
                        reply == null ? null : reply.aiCall(), answeredThrough, now, followUpAt);
                recording.remove(job.id());
                if (followUpAt != null) {
                    rescheduled.accept(followUpAt);
                }
                return;
            } catch (StoreUnavailableException e) {
                if (clock.instant().isAfter(giveUp)) {
                    recording.remove(job.id());
                    throw e;
                }
                recording.add(job.id());
                log.warn("Reply {} was sent ({}) but the store is unavailable; recording it again in {} ms",
                        pending.id(), result.sid(), waitMillis);
                try {
                    Thread.sleep(waitMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                waitMillis = Math.min(waitMillis * 2, 1000);
            }
        }
    }

    /**
     * When the lead is nudged if they stay quiet after this job's text ({@code FOLLOW_UP_HOURS} from {@code sentAt}),
     * or null: follow-ups are off, or this text is the nudge (one per quiet spell).
     */
    private Instant followUpAt(ReplyJob job, Instant sentAt) {
        Duration after = config.replies().followUpAfter();
        return after.isZero() || job.kind() == ReplyJob.Kind.FOLLOW_UP ? null : sentAt.plus(after);
    }

    private static Duration retryDelay(int attempts) {
        long base = 1000L << Math.min(Math.max(attempts - 1, 0), 6); // 1 s, 2 s, ... 64 s
        long jitter = ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Duration.ofMillis(base / 2 + jitter);
    }

    /** Stops the lease heartbeats; call after the workers stopped. */
    public void close() {
        heartbeats.shutdownNow();
    }
}
