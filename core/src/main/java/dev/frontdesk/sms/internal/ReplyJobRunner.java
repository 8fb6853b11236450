package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.DuplicateTwilioSidException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.NewOutboundMessage;
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

    /**
     * @param lease           how long a claimed job is held before another worker may take it
     * @param maxSendAttempts send attempts of a reply before it is recorded as failed
     */
    public ReplyJobRunner(FrontDeskConfig config, LeadRepository repository, SmsGateway gateway, Outbox outbox,
            ReplyPolicy policy, ReplyWriter writer, FrontDeskMetrics metrics, Clock clock, Duration lease, int maxSendAttempts) {
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
    }

    /**
     * Claims and runs one due reply job as {@code workerId}.
     *
     * @return whether a job was claimed
     * @throws StoreUnavailableException when the store is down (the lease runs out and another attempt takes the job)
     */
    public boolean runNext(String workerId) {
        ReplyQueue queue = repository.replyQueue();
        Optional<ReplyJob> claimed = queue.claim(workerId, lease, clock.instant());
        if (claimed.isEmpty()) {
            return false;
        }
        ReplyJob job = claimed.get();
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(
                () -> extendLease(job, workerId), lease.toMillis() / 3, lease.toMillis() / 3, TimeUnit.MILLISECONDS);
        try {
            run(job, workerId);
        } catch (ReleasedAtShutdown e) {
            // Nothing was sent: give the job back now rather than let another instance wait for the lease.
            boolean interrupted = Thread.interrupted(); // so the pool hands out a connection for the release
            queue.retryLater(job.id(), workerId, "released at shutdown", clock.instant());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            log.info("Reply job {} released at shutdown; another worker takes it over", job.id());
        } catch (StoreUnavailableException e) {
            throw e; // the lease runs out and another attempt picks the job up
        } catch (RuntimeException e) {
            log.error("Reply job {} failed; it will be retried", job.id(), LogSafe.exception(e));
            queue.retryLater(job.id(), workerId, LogSafe.truncate(LogSafe.error(e), 200),
                    clock.instant().plus(retryDelay(job.attempts())));
        } finally {
            heartbeat.cancel(false);
        }
        return true;
    }

    private void extendLease(ReplyJob job, String workerId) {
        try {
            repository.replyQueue().extendLease(job.id(), workerId, clock.instant().plus(lease));
        } catch (RuntimeException e) {
            log.warn("Could not extend the lease of reply job {}: {}", job.id(), LogSafe.error(e));
        }
    }

    private void run(ReplyJob job, String workerId) {
        ReplyQueue queue = repository.replyQueue();
        if (recording.contains(job.id())) {
            // Its lease ran out while the store was down, but the reply went out: leave it to that worker.
            queue.retryLater(job.id(), workerId, "reply sent, being recorded", clock.instant().plus(lease));
            return;
        }
        Optional<Message> earlier = repository.messages().findReplyForJob(job.id());
        if (earlier.isPresent() && earlier.get().status() != MessageStatus.PENDING) {
            // Answered already: an earlier worker sent it and died before completing the job.
            queue.complete(job.id(), workerId, clock.instant());
            return;
        }
        Lead lead = repository.leads().findLead(job.leadId()).orElse(null);
        if (lead == null || lead.smsOptOut()) {
            queue.complete(job.id(), workerId, clock.instant());
            return;
        }
        Message pending;
        Reply reply = null;
        if (earlier.isPresent()) {
            // An earlier worker recorded the reply and died before Twilio's answer was stored: send again.
            // This is the one place a customer may get a reply twice (see README, "Delivery guarantees").
            pending = earlier.get();
        } else {
            Optional<ReplyPlan> plan = policy.plan(job, lead, workerId);
            if (plan.isEmpty()) {
                return;
            }
            // The reply goes out from the number the customer texted (several numbers may share one desk),
            // when that is one of the business's numbers: a webhook's To is not proof of that.
            String from = config.replyFromNumber(repository.messages().findMessage(job.inboundMessageId()).map(Message::to).orElse(null));
            reply = writer.write(lead, job, from, plan.get());
            Optional<Message> recorded = record(job, workerId, lead, from, reply);
            if (recorded.isEmpty()) {
                return;
            }
            pending = recorded.get();
        }
        // Fence: a worker that lost its lease (paused past it) must not send what the new holder will send.
        if (!queue.extendLease(job.id(), workerId, clock.instant().plus(lease))) {
            log.warn("Reply job {} is no longer held by {}; not sending", job.id(), workerId);
            return;
        }
        send(job, workerId, lead, pending, reply);
    }

    /**
     * Records the written reply as pending; empty (the job completed) when staff took the lead over meanwhile, in
     * test mode for a number not verified (recorded as failed), or when the reply was recorded already.
     */
    private Optional<Message> record(ReplyJob job, String workerId, Lead lead, String from, Reply reply) {
        ReplyQueue queue = repository.replyQueue();
        Instant now = clock.instant();
        Lead latest = repository.leads().findLead(lead.id()).orElse(lead);
        if (!latest.aiActive(now)) {
            log.info("🙋 Staff took lead {} over while its reply was written; reply dropped", lead.id());
            queue.complete(job.id(), workerId, now);
            return Optional.empty();
        }
        if (config.twilio().testMode() && !gateway.isVerified(lead.phoneNumber())) {
            repository.messages().recordOutbound(new NewOutboundMessage(lead.id(), from, lead.phoneNumber().value(), reply.text(),
                    MessageStatus.FAILED, "unverified_number", SmsSegments.count(reply.text()), job.id(), now));
            log.warn("⚠️  Test mode: reply to {} not sent, the number is not verified", lead.phoneNumber().masked());
            queue.complete(job.id(), workerId, now);
            return Optional.empty();
        }
        Message pending = repository.messages().recordOutbound(new NewOutboundMessage(lead.id(), from, lead.phoneNumber().value(),
                reply.text(), MessageStatus.PENDING, null, SmsSegments.count(reply.text()), job.id(), now));
        if (pending.status() != MessageStatus.PENDING) {
            queue.complete(job.id(), workerId, clock.instant());
            return Optional.empty();
        }
        return Optional.of(pending);
    }

    /** Sends the pending reply and records the outcome; {@code reply} is null when an earlier worker wrote it. */
    private void send(ReplyJob job, String workerId, Lead lead, Message pending, Reply reply) {
        ReplyQueue queue = repository.replyQueue();
        try {
            SendResult result = outbox.transmit(pending, lead);
            log.info("✅ SMS sent successfully: {}", result.sid());
            recordSent(job, workerId, pending, result);
            metrics.replySent(reply == null ? "retry" : reply.kind());
            if (reply != null && reply.afterHoursNotice()) {
                try {
                    repository.leads().markAfterHoursNotice(lead.id(), clock.instant());
                } catch (RuntimeException e) {
                    log.warn("Could not record the after-hours notice for lead {}: {}", lead.id(), LogSafe.error(e));
                }
            }
        } catch (SmsSendException e) {
            if (e.retryable() && !e.outcomeUnknown() && job.attempts() < maxSendAttempts) {
                Duration delay = retryDelay(job.attempts());
                log.warn("Reply to {} not sent yet ({}); retrying in {} ms", lead.phoneNumber().masked(), LogSafe.message(e.getMessage(), 300), delay.toMillis());
                queue.retryLater(job.id(), workerId, LogSafe.message(e.getMessage(), 200), clock.instant().plus(delay));
                return;
            }
            outbox.recordRefusal(pending, lead, e);
            queue.complete(job.id(), workerId, clock.instant());
        } catch (DuplicateTwilioSidException e) {
            log.error("Twilio answered with a SID stored for another message; reply {} kept as sent without SID", pending.id());
            repository.messages().markFailed(pending.id(), MessageStatus.FAILED, "duplicate_twilio_sid");
            queue.complete(job.id(), workerId, clock.instant());
        }
    }

    /**
     * Stores Twilio's answer and completes the job. The message is out, so a store outage here must not
     * make the job run again (that would text the customer twice): keep trying for a while, holding the
     * lease (the heartbeat renews it as soon as the store answers again).
     */
    private void recordSent(ReplyJob job, String workerId, Message pending, SendResult result) {
        Instant giveUp = clock.instant().plus(RECORD_AFTER_SEND_FOR);
        long waitMillis = 100;
        while (true) {
            try {
                repository.messages().markSent(pending.id(), result, clock.instant());
                repository.replyQueue().complete(job.id(), workerId, clock.instant());
                recording.remove(job.id());
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
