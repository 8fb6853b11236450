package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.AutoReplyCounts;
import dev.frontdesk.sms.BusinessHours;
import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.ReplyContext;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a customer's text gets an automatic answer, and which: silence, later, the fallback reply, or the AI.
 * The rules, in order: staff have the conversation (silence); the number is outside {@code REPLY_COUNTRIES}
 * (silence); a later job of the same lead answers this text too (folded into it, unless the settle limit after
 * the first unanswered text has passed: then this reply answers them all); the customer may still be typing
 * (postponed until they have been quiet for the settle time); {@code AI_REPLIES_PER_LEAD_PER_HOUR} or {@code AUTO_REPLIES_PER_HOUR} reached (silence);
 * {@code AI_REPLIES_PER_HOUR} reached, no AI configured, or the monthly budget spent (the fallback reply).
 * Caps are counted from the store, so they hold across instances, and each is logged once per window. Out of
 * business hours, the first reply of a closed spell tells the customer when a person follows up. A follow-up job
 * ({@code FOLLOW_UP_HOURS}) passes the same first checks, then {@link FollowUps}' instead of the burst's, then the caps.
 * Thread-safe.
 */
public final class ReplyPolicy {
    private static final Logger log = LoggerFactory.getLogger(ReplyPolicy.class);

    /** The window of the automatic reply caps ({@code AI_REPLIES_PER_LEAD_PER_HOUR}, {@code AI_REPLIES_PER_HOUR}...). */
    static final Duration AI_CAP_WINDOW = Duration.ofHours(1);
    /** How often a text from outside {@code REPLY_COUNTRIES} is logged at info level; the others go to debug. */
    private static final Duration REGION_LOG_WINDOW = Duration.ofMinutes(1);

    private final FrontDeskConfig config;
    private final LeadRepository repository;
    private final boolean hasAi;
    private final UsageMeter usage;
    private final FrontDeskMetrics metrics;
    private final Clock clock;
    private final Duration replySettle;
    private final Duration replySettleLimit;
    private final LogThrottle capLog = new LogThrottle();

    /** Told when a job is given back to run at a later instant, so that a worker is woken then. */
    private final Consumer<Instant> rescheduled;

    /**
     * @param hasAi            whether a reply generator is configured
     * @param replySettle      how long a customer must have been quiet before their text is answered
     * @param replySettleLimit the longest an answer waits for a burst to end, from the first unanswered text
     */
    public ReplyPolicy(FrontDeskConfig config, LeadRepository repository, boolean hasAi, UsageMeter usage,
            FrontDeskMetrics metrics, Clock clock, Duration replySettle, Duration replySettleLimit, Consumer<Instant> rescheduled) {
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.hasAi = hasAi;
        this.usage = Objects.requireNonNull(usage, "usage");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.replySettle = Objects.requireNonNull(replySettle, "replySettle");
        this.replySettleLimit = Objects.requireNonNull(replySettleLimit, "replySettleLimit");
        this.rescheduled = Objects.requireNonNull(rescheduled, "rescheduled");
    }

    /**
     * Decides the reply to the job of {@code context} (held by {@code workerId}, no reply recorded for it yet, its
     * lead known). Empty when no reply is to be written now: the job was then completed (silence, or folded into a
     * later job) or postponed (a burst going on).
     */
    public Optional<ReplyPlan> plan(ReplyContext context, String workerId) {
        ReplyQueue queue = repository.replyQueue();
        ReplyJob job = context.job();
        Lead lead = context.lead();
        Instant now = clock.instant();
        if (!lead.aiActive(now)) {
            // Staff have the conversation: they see the message in the dashboard and answer it themselves.
            // The job is done rather than deferred, so no stale AI reply goes out when the AI comes back.
            if (job.kind() == ReplyJob.Kind.REPLY) {
                log.info("🙋 Lead {} is with staff; no AI reply to message {}", lead.id(), job.inboundMessageId());
            } else {
                log.info("🙋 Lead {} is with staff; no automatic {} text", lead.id(), job.kind().wireName());
            }
            queue.complete(job.id(), workerId, now);
            return Optional.empty();
        }
        if (lead.channel() == Channel.WHATSAPP && !CustomerWindow.wroteWithinDay(context.history(), now)) {
            // WhatsApp allows free-form texts only within 24 hours of the customer's last message (after it, only
            // approved templates, which this library does not send): nothing is attempted.
            log.info("⏳ Lead {} ({}) last wrote on WhatsApp more than 24 hours ago; no automatic reply (outside the window)",
                    lead.id(), Channel.WHATSAPP.address(lead.phoneNumber().masked()));
            metrics.replySkipped("outside_window");
            queue.complete(job.id(), workerId, now);
            return Optional.empty();
        }
        if (!config.answersAutomatically(lead.phoneNumber())) {
            // Stored for staff, who can still text the customer; automatic texts go only where REPLY_COUNTRIES says.
            if (capLog.first("region", now, REGION_LOG_WINDOW)) {
                log.info("🌍 Texts from numbers outside REPLY_COUNTRIES ({}) are stored and not answered automatically, such as lead {} ({}); more are logged at debug level for a minute",
                        String.join(",", new TreeSet<>(config.limits().replyCountries())), lead.id(), lead.phoneNumber().masked());
            } else {
                log.debug("Lead {} ({}) is outside REPLY_COUNTRIES; no automatic reply", lead.id(), lead.phoneNumber().masked());
            }
            metrics.replySkipped("region");
            queue.complete(job.id(), workerId, now);
            return Optional.empty();
        }
        if (job.kind() == ReplyJob.Kind.FOLLOW_UP) {
            return followUp(context, workerId, now);
        }
        // A burst: the job's reply waits (its job was enqueued due after the settle time) for the customer to be
        // quiet, and a later text's job answers them together; but never later than the settle limit after the
        // first text not yet answered, so a burst that goes on is still answered in time (that reply then also
        // answers the later texts it was written after, see ReplyQueue#completeSent).
        Instant first = Optional.ofNullable(context.firstUnansweredAt()).filter(t -> t.isBefore(job.createdAt())).orElse(job.createdAt());
        Instant limit = first.plus(replySettleLimit);
        boolean pastLimit = !now.isBefore(limit);
        if (context.laterJobPending() && !pastLimit) {
            log.info("Reply job {} for lead {} folded into a later one: one reply answers the texts together", job.id(), lead.id());
            queue.complete(job.id(), workerId, now);
            return Optional.empty();
        }
        Instant settled = job.createdAt().plus(replySettle);
        if (now.isBefore(settled) && !pastLimit) {
            // Claimed before its time (a job enqueued due at once, or another instance's clock ahead of ours).
            Instant runAt = settled.isBefore(limit) ? settled : limit;
            if (queue.postpone(job.id(), workerId, runAt)) {
                rescheduled.accept(runAt);
            }
            return Optional.empty();
        }
        return admitted(context, workerId, now, followUpDue(lead, now));
    }

    /**
     * A follow-up, checked again now ({@link FollowUps}): written like a reply and counted in the caps, or completed
     * in silence, or, in the customer's quiet hours, given back until the morning with a worker woken then.
     */
    private Optional<ReplyPlan> followUp(ReplyContext context, String workerId, Instant now) {
        ReplyQueue queue = repository.replyQueue();
        ReplyJob job = context.job();
        FollowUps.Verdict verdict = FollowUps.check(context, config, now);
        if (verdict.later() != null) {
            log.info("🌙 Follow-up for lead {} waits until {} (quiet hours for the customer)", context.lead().id(), verdict.later());
            if (queue.postpone(job.id(), workerId, verdict.later())) {
                rescheduled.accept(verdict.later());
            }
            return Optional.empty();
        }
        if (!verdict.nudges()) {
            log.info("Follow-up for lead {} not sent: {}", context.lead().id(), verdict.skipped());
            metrics.replySkipped("follow_up");
            queue.complete(job.id(), workerId, now);
            return Optional.empty();
        }
        return admitted(context, workerId, now, Optional.empty());
    }

    /** The caps ({@link #admit}), then the fallback or the AI; {@code followUp} is the out-of-hours notice, if due. */
    private Optional<ReplyPlan> admitted(ReplyContext context, String workerId, Instant now, Optional<String> followUp) {
        Lead lead = context.lead();
        Optional<Boolean> aiCall = admit(context, workerId, now);
        if (aiCall.isEmpty()) {
            return Optional.empty();
        }
        if (!hasAi) {
            return Optional.of(new ReplyPlan(followUp, "no_ai"));
        }
        if (!aiCall.get()) {
            return Optional.of(new ReplyPlan(followUp, "ai_cap"));
        }
        if (config.pricing().monthlyBudget() != null && usage.budget(now).reached()) {
            log.warn("💸 Monthly budget of ${} reached; lead {} gets the fallback reply", config.pricing().monthlyBudget(), lead.id());
            return Optional.of(new ReplyPlan(followUp, "budget"));
        }
        return Optional.of(new ReplyPlan(followUp, null));
    }

    /**
     * The caps: whether this reply may call the AI, noted in the store before the call so that every instance
     * counts it while it is being written; empty when the lead or all leads had their automatic replies this
     * hour (the job is then completed in silence). The counts came with the claim. A job that ran before
     * (released at shutdown, retried after a failure, taken over after a lease) was admitted then and noted once:
     * it keeps that decision, so its own note neither counts it a second time nor shuts it out.
     */
    private Optional<Boolean> admit(ReplyContext context, String workerId, Instant now) {
        ReplyJob job = context.job();
        Lead lead = context.lead();
        if (job.attempts() > 1 && context.autoReplyAiCall() != null) {
            return Optional.of(context.autoReplyAiCall() && hasAi);
        }
        AutoReplyCounts counts = context.autoReplies();
        if (counts.lead() >= config.limits().aiRepliesPerLeadPerHour()) {
            if (capLog.first(lead.id(), now, AI_CAP_WINDOW)) {
                log.warn("🚫 Lead {} ({}) reached AI_REPLIES_PER_LEAD_PER_HOUR ({}); their texts are stored but get no automatic reply for up to an hour",
                        lead.id(), lead.phoneNumber().masked(), config.limits().aiRepliesPerLeadPerHour());
            }
            metrics.replySkipped("lead_cap");
            repository.replyQueue().complete(job.id(), workerId, now);
            return Optional.empty();
        }
        if (counts.all() >= config.limits().autoRepliesPerHour()) {
            if (capLog.first("auto_cap", now, AI_CAP_WINDOW)) {
                log.warn("🚫 Automatic texts reached AUTO_REPLIES_PER_HOUR ({}); customers' texts are stored but get no automatic reply for up to an hour",
                        config.limits().autoRepliesPerHour());
            }
            metrics.replySkipped("auto_cap");
            repository.replyQueue().complete(job.id(), workerId, now);
            return Optional.empty();
        }
        boolean aiCall = hasAi;
        if (aiCall && counts.ai() >= config.limits().aiRepliesPerHour()) {
            aiCall = false;
            if (capLog.first("ai_cap", now, AI_CAP_WINDOW)) {
                log.warn("🚫 AI replies reached AI_REPLIES_PER_HOUR ({}); customers get the fallback reply without an AI call for up to an hour",
                        config.limits().aiRepliesPerHour());
            }
        }
        repository.usage().recordAutoReply(job.id(), lead.id(), aiCall, now);
        return Optional.of(aiCall);
    }

    /** When a person follows up, in words, if the customer is to be told now (out of hours, not told this closed spell). */
    private Optional<String> followUpDue(Lead lead, Instant now) {
        BusinessHours hours = config.business().hours();
        if (hours.isOpen(now)) {
            return Optional.empty();
        }
        Optional<String> followUp = hours.nextOpeningInWords(now);
        boolean due = followUp.isPresent() && (lead.afterHoursNoticeAt() == null
                || hours.lastClosing(now).map(c -> lead.afterHoursNoticeAt().isBefore(c)).orElse(true));
        return due ? followUp : Optional.empty();
    }
}
