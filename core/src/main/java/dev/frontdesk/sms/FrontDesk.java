package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.internal.ReplyGuard;
import dev.frontdesk.sms.internal.SmsSegments;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front desk: runs the inbound, reply, outbound and status flows over the SPIs.
 *
 * <ul>
 *   <li>{@link #receiveInbound} records a customer's text and enqueues its reply in one transaction;
 *       it never calls the AI or Twilio, so webhooks are acknowledged fast.</li>
 *   <li>The reply worker ({@link #start()}, or {@link #processNextReply()} in tests) claims jobs with a
 *       lease, asks the {@link ReplyGenerator} with a deadline, falls back to the configured reply on any
 *       failure, and sends through the {@link SmsGateway}.</li>
 *   <li>{@link #sendStaffMessage} validates and sends a message typed by staff.</li>
 *   <li>{@link #receiveStatus} applies delivery callbacks, forward only.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the workers, gives back at once the jobs still waiting for the
 * generator and lets sends in flight finish within the shutdown timeout, so nothing is lost. After
 * {@value #AI_FAILURES_BEFORE_PAUSE} generator failures in a row the generator is paused for
 * {@link #AI_PAUSE} and the fallback reply goes out without waiting for it.
 */
public final class FrontDesk implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FrontDesk.class);

    /** Twilio's limit on the length of one message. */
    public static final int MAX_BODY_CHARS = 1600;

    /** The window of the AI reply caps ({@code AI_REPLIES_PER_LEAD_PER_HOUR}, {@code AI_REPLIES_PER_HOUR}). */
    static final Duration AI_CAP_WINDOW = Duration.ofHours(1);
    /** The window of the staff cap ({@code OUTBOUND_PER_MINUTE}). */
    static final Duration OUTBOUND_CAP_WINDOW = Duration.ofMinutes(1);

    /** Generator failures in a row (errors, timeouts) after which it is paused and fallbacks go out at once. */
    static final int AI_FAILURES_BEFORE_PAUSE = 5;
    /** How long the generator is paused after {@link #AI_FAILURES_BEFORE_PAUSE} failures in a row. */
    static final Duration AI_PAUSE = Duration.ofSeconds(30);
    /**
     * How long {@link #close()} waits for sends in flight by default ({@code REPLY_SHUTDOWN_SECONDS}): with a
     * few seconds for the host's HTTP server to drain, the whole stop fits in the 30 s grace period that
     * orchestrators usually give before {@code SIGKILL}.
     */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    /**
     * How long a customer must have been quiet before their text is answered (default): each new text starts
     * the wait again, so a burst of texts gets one answer, written after its last text.
     */
    public static final Duration DEFAULT_REPLY_SETTLE = Duration.ofSeconds(2);
    /**
     * The longest a text's answer is held back for a burst that goes on (default), counted from the first text
     * not yet answered: with the AI deadline (20 s) it keeps the promise of an answer within 30 s of the webhook.
     */
    public static final Duration DEFAULT_REPLY_SETTLE_LIMIT = Duration.ofSeconds(5);
    /** How long a worker keeps trying to record a reply Twilio accepted while the store is unavailable. */
    private static final Duration RECORD_AFTER_SEND_FOR = Duration.ofSeconds(60);

    private final FrontDeskConfig config;
    private final LeadRepository repository;
    private final SmsGateway gateway;
    private final ReplyGenerator generator;
    private final ReplyGuard guard;
    private final FrontDeskMetrics metrics;
    private final Clock clock;
    private final int workerCount;
    private final Duration lease;
    private final Duration pollInterval;
    private final Duration shutdownTimeout;
    private final Duration replySettle;
    private final Duration replySettleLimit;
    private final int maxSendAttempts;
    private final String workerPrefix;
    private final ExecutorService aiExecutor;
    private final boolean ownsAiExecutor;
    private final ScheduledExecutorService heartbeats;

    /** When a cap was last logged, so that it is logged once per window, not once per message. */
    private final ConcurrentHashMap<Long, Instant> leadCapLoggedUntil = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> globalCapLoggedUntil = new AtomicReference<>(Instant.MIN);
    private final AtomicReference<Instant> outboundCapLoggedUntil = new AtomicReference<>(Instant.MIN);
    private final AtomicReference<Instant> autoCapLoggedUntil = new AtomicReference<>(Instant.MIN);
    private final AtomicReference<Instant> regionLoggedUntil = new AtomicReference<>(Instant.MIN);
    /** How often a text from outside {@code REPLY_COUNTRIES} is logged at info level; the others go to debug. */
    private static final Duration REGION_LOG_WINDOW = Duration.ofMinutes(1);

    private final Object signal = new Object();
    private final AtomicInteger wakeups = new AtomicInteger();
    /** Generator calls in flight, cancelled by {@link #close()} so their jobs are released at once. */
    private final Set<Future<?>> aiCalls = ConcurrentHashMap.newKeySet();
    /** Jobs whose reply Twilio accepted and whose worker is still trying to record that in the store. */
    private final Set<Long> recording = ConcurrentHashMap.newKeySet();
    private final AtomicInteger aiFailuresInARow = new AtomicInteger();
    private volatile Instant aiSkippedUntil = Instant.MIN;
    private volatile boolean running;
    private volatile boolean stopping;
    private ExecutorService workerThreads;

    private FrontDesk(Builder b) {
        this.config = b.config;
        this.repository = b.repository;
        this.gateway = b.gateway;
        this.generator = b.generator;
        this.guard = ReplyGuard.of(b.config, b.generator);
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.workerCount = b.workers;
        this.lease = b.lease;
        this.pollInterval = b.pollInterval;
        this.shutdownTimeout = b.shutdownTimeout;
        this.replySettle = b.replySettle;
        this.replySettleLimit = b.replySettleLimit;
        this.maxSendAttempts = b.maxSendAttempts;
        this.workerPrefix = b.workerId != null ? b.workerId : "frontdesk-" + UUID.randomUUID().toString().substring(0, 8);
        this.ownsAiExecutor = b.aiExecutor == null;
        this.aiExecutor = b.aiExecutor != null ? b.aiExecutor : Executors.newCachedThreadPool(daemon("frontdesk-ai"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("frontdesk-lease"));
        ReplyQueue queue = b.repository.replyQueue();
        metrics.queueDepth(queue::pendingCount);
    }

    public static Builder builder() {
        return new Builder();
    }

    public FrontDeskConfig config() {
        return config;
    }

    public LeadRepository repository() {
        return repository;
    }

    /** Where operational events go ({@link FrontDeskMetrics#NONE} unless the host gave one). */
    public FrontDeskMetrics metrics() {
        return metrics;
    }

    /** The clock the front desk reads time from (tests hand in their own). */
    public Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- inbound

    /**
     * Records an inbound text (flow "Inbound SMS"): lead found or created, message stored once per
     * MessageSid, keywords applied, reply job enqueued, workers woken. Does not call the AI or Twilio.
     *
     * @throws StoreUnavailableException when the store is down (the webhook should answer 503)
     */
    public InboundReceipt receiveInbound(InboundSms sms) {
        Objects.requireNonNull(sms, "sms");
        Keyword keyword = Keyword.detect(sms.body(), sms.optOutType());
        InboundResult result = repository.recordInbound(sms, keyword, clock.instant());
        if (result.duplicate()) {
            log.info("📱 Repeated SMS ignored: {} from: {}", sms.messageSid(), sms.from().masked());
            return new InboundReceipt(result, keyword, Optional.empty());
        }
        log.info("📱 Incoming SMS: from: {}, body: {}", sms.from().masked(), LogSafe.body(sms.body()));
        if (keyword == Keyword.OPT_OUT) {
            log.info("🚫 Lead {} opted out of SMS", result.lead().id());
        } else if (keyword == Keyword.OPT_IN) {
            log.info("✅ Lead {} opted back in to SMS", result.lead().id());
        }
        if (result.replyJobId() != null) {
            wakeWorkers();
        }
        Optional<String> immediate = keyword == Keyword.HELP ? Optional.ofNullable(config.helpReply()) : Optional.empty();
        return new InboundReceipt(result, keyword, immediate);
    }

    /**
     * Records a text from a sender that is not an SMS phone number (a short code, an alphanumeric sender ID,
     * a channel address such as {@code whatsapp:}) once per MessageSid, so Twilio's delivery is acknowledged.
     * No lead is created or changed and nothing is answered: a short code or sender ID cannot take a reply,
     * and a {@code whatsapp:} sender is not the SMS lead of its number.
     *
     * @return whether it was stored now (false for a repeated delivery)
     * @throws StoreUnavailableException when the store is down (the webhook should answer 503)
     */
    public boolean receiveFromOtherSender(OtherSenderMessage message) {
        Objects.requireNonNull(message, "message");
        boolean stored = repository.recordOtherSender(message, clock.instant());
        OtherSender sender = message.sender();
        if (!stored) {
            log.info("📱 Repeated message ignored: {} from: {}", message.twilioSid(), sender.masked());
            return false;
        }
        metrics.otherSenderReceived(sender.kind().wireName());
        log.info("📱 Incoming message from a {} sender: from: {}, body: {} (stored, not answered automatically)",
                sender.kind() == OtherSender.Kind.CHANNEL ? sender.channel() : sender.kind().wireName().replace('_', ' '),
                sender.masked(), LogSafe.body(message.body()));
        return true;
    }

    // ---------------------------------------------------------------- status callbacks

    /**
     * Applies a delivery-status callback (flow "Delivery status"). Unknown SIDs and late statuses change
     * nothing and are not errors, so Twilio does not retry them.
     */
    public StatusResult receiveStatus(StatusUpdate update) {
        StatusResult result = repository.applyStatus(update, clock.instant());
        if (result.message().isEmpty()) {
            log.info("Status callback for unknown message {} ({}) ignored", update.messageSid(), update.status().wireName());
        } else if (!result.applied()) {
            log.debug("Late status {} for {} ignored", update.status().wireName(), update.messageSid());
        } else {
            log.info("📬 SMS {} is now {}{}", update.messageSid(), update.status().wireName(),
                    update.errorCode() == null ? "" : " (error " + update.errorCode() + ")");
            if (update.errorCode() != null) {
                metrics.twilioError(update.errorCode());
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- staff

    /**
     * Sends a message typed by staff (flow "Outbound SMS"). Checks run in the contract's order: message
     * empty or too long, phone number, lead, opt-out, test-mode verification, then the send. A lead
     * named only by number is found or created with source {@code manual}.
     *
     * @return the stored message, with Twilio's SID
     * @throws FrontDeskException one of EmptyMessageException, MessageTooLongException, InvalidPhoneNumberException,
     *         InvalidRequestException, RateLimitedException (more than {@code OUTBOUND_PER_MINUTE} staff messages
     *         in the last minute; checked before any lead is created), LeadNotFoundException, OptedOutException,
     *         UnverifiedNumberException, QuietHoursException (without {@code force}: the customer has not texted
     *         in the last 24 hours and it is before 8:00 or from 21:00 where they are, when that is known),
     *         SmsSendException (the message is then stored as {@code failed} with Twilio's code)
     */
    public Message sendStaffMessage(StaffMessage request) {
        String body = request.message();
        if (body == null || body.isBlank()) {
            throw new EmptyMessageException("Message is empty; write something to send.");
        }
        if (body.indexOf('\0') >= 0) {
            throw new InvalidRequestException("The message contains a NUL character (U+0000), which SMS cannot carry; remove it.");
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw new MessageTooLongException("Message is " + body.length() + " characters; SMS allows at most "
                    + MAX_BODY_CHARS + ". Shorten it or split it into several messages.");
        }
        PhoneNumber phone = request.phoneNumber() == null ? null : PhoneNumber.parse(request.phoneNumber(), config.defaultRegion());
        if (request.leadId() == null && phone == null) {
            throw new InvalidRequestException("Give leadId or phoneNumber to say who the message is for.");
        }
        Instant now = clock.instant();
        // Counted from the store, so the cap holds across instances; concurrent sends may pass it by a few.
        if (repository.countStaffMessages(now.minus(OUTBOUND_CAP_WINDOW)) >= config.outboundPerMinute()) {
            if (firstInWindow(outboundCapLoggedUntil, now, OUTBOUND_CAP_WINDOW)) {
                log.warn("🚫 Staff messages reached OUTBOUND_PER_MINUTE ({}); further sends are refused with 429 for a minute",
                        config.outboundPerMinute());
            }
            throw new RateLimitedException("Staff messages are limited to " + config.outboundPerMinute()
                    + " a minute (OUTBOUND_PER_MINUTE) and that many were sent in the last minute; wait a minute and send again.",
                    OUTBOUND_CAP_WINDOW);
        }
        Lead lead;
        if (request.leadId() != null) {
            lead = repository.findLead(request.leadId())
                    .orElseThrow(() -> new LeadNotFoundException("No lead has id " + request.leadId() + "."));
            if (phone != null && !phone.equals(lead.phoneNumber())) {
                throw new InvalidRequestException("leadId " + lead.id() + " and phoneNumber name different leads; give one of them, or both for the same lead.");
            }
        } else {
            lead = repository.findOrCreateLead(phone, Lead.SOURCE_MANUAL, now);
        }
        if (lead.smsOptOut()) {
            throw new OptedOutException("This customer texted STOP and has opted out of SMS; they must text START before you can message them.");
        }
        if (config.twilioTestMode() && !gateway.isVerified(lead.phoneNumber())) {
            throw new UnverifiedNumberException("Test mode: " + lead.phoneNumber().masked()
                    + " is not a verified number in your Twilio account. Verify it in the Twilio console or set TWILIO_TEST_MODE=false.");
        }
        List<Message> recent = repository.history(lead.id(), config.historyLimit());
        if (!request.force() && !textedSince(recent, now.minus(QuietHours.ANSWER_WINDOW))) {
            // Only a cold text can wake someone: a customer who texted in the last day is waiting for the answer.
            Optional<String> quiet = QuietHours.check(lead.phoneNumber(), config.explicitBusinessTimeZone(), now);
            if (quiet.isPresent()) {
                throw new QuietHoursException(quiet.get());
            }
        }
        Message pending = repository.recordOutbound(new NewOutboundMessage(lead.id(), staffFromNumber(recent), lead.phoneNumber().value(),
                body, MessageStatus.PENDING, null, SmsSegments.count(body), null, now));
        Message sent = send(pending, lead);
        metrics.replySent("staff");
        takeOver(lead);
        return sent;
    }

    /**
     * The number the lead last texted when it is one of the business's, so staff answer from the same
     * number; else the default number ({@link FrontDeskConfig#replyFromNumber}).
     */
    private String staffFromNumber(List<Message> recent) {
        for (int i = recent.size() - 1; i >= 0; i--) {
            Message m = recent.get(i);
            if (m.direction() == Direction.INBOUND && m.to() != null) {
                return config.replyFromNumber(m.to());
            }
        }
        return fromNumber();
    }

    /** Whether one of {@code recent} is a text from the customer at or after {@code since}. */
    private static boolean textedSince(List<Message> recent, Instant since) {
        for (Message m : recent) {
            if (m.direction() == Direction.INBOUND && m.createdAt() != null && !m.createdAt().isBefore(since)) {
                return true;
            }
        }
        return false;
    }

    /** Staff texted the lead by hand: the AI stays out of the conversation for HUMAN_TAKEOVER_MINUTES. */
    private void takeOver(Lead lead) {
        if (config.humanTakeoverMinutes() <= 0) {
            return;
        }
        Lead after = repository.pauseAiUntil(lead.id(), clock.instant().plus(Duration.ofMinutes(config.humanTakeoverMinutes())));
        log.info("🙋 Staff took over lead {}: AI paused {}", lead.id(),
                after.aiPausedUntil() == null ? "until handed back" : "until " + after.aiPausedUntil());
    }

    /**
     * Sets booking details by hand ({@code PATCH /api/leads/{leadId}}): each given field is set (null clears
     * it) and is never overwritten by the AI afterwards.
     *
     * @throws LeadNotFoundException for an unknown id
     */
    public Lead editQualification(long leadId, Map<Qualification.Field, String> values) {
        if (repository.findLead(leadId).isEmpty()) {
            throw new LeadNotFoundException("No lead has id " + leadId + ".");
        }
        return repository.updateQualification(leadId, values, true);
    }

    /**
     * Switches a lead's AI on, or off ({@code POST /api/leads/{leadId}/ai}): off for {@code minutes}, or until
     * switched on again when {@code minutes} is null.
     *
     * @throws LeadNotFoundException for an unknown id
     * @throws InvalidRequestException when minutes is given with {@code enabled} or is out of range
     */
    public Lead setAi(long leadId, boolean enabled, Integer minutes) {
        if (minutes != null && enabled) {
            throw new InvalidRequestException("minutes goes with {\"enabled\": false} only: it says how long the AI stays off.");
        }
        if (minutes != null && (minutes < 1 || minutes > 100_000)) {
            throw new InvalidRequestException("minutes must be a whole number from 1 to 100000, was " + minutes + ".");
        }
        if (repository.findLead(leadId).isEmpty()) {
            throw new LeadNotFoundException("No lead has id " + leadId + ".");
        }
        Instant until = minutes == null ? null : clock.instant().plus(Duration.ofMinutes(minutes));
        Lead lead = repository.setAi(leadId, enabled, until);
        log.info("🤖 AI for lead {} switched {}", leadId, enabled ? "on" : until == null ? "off" : "off until " + until);
        return lead;
    }

    /** Sends a recorded pending message; on a refusal stores it as failed and rethrows. */
    private Message send(Message pending, Lead lead) {
        try {
            SendResult result = gateway.send(new OutboundSms(lead.phoneNumber(), pending.body(), pending.from(), config.statusCallbackUrl()));
            Message sent = repository.markSent(pending.id(), result, clock.instant());
            log.info("✅ SMS sent successfully: {}", result.sid());
            return sent;
        } catch (SmsSendException e) {
            recordRefusal(pending, lead, e);
            throw e;
        }
    }

    private void recordRefusal(Message pending, Lead lead, SmsSendException e) {
        log.warn("❌ SMS to {} failed: {} (code {})", lead.phoneNumber().masked(), LogSafe.message(e.getMessage(), 300), e.storedErrorCode());
        metrics.twilioError(e.storedErrorCode() == null ? "unknown" : e.storedErrorCode());
        repository.markFailed(pending.id(), MessageStatus.FAILED, e.storedErrorCode());
        if (e.recipientOptedOut()) {
            repository.setOptOut(lead.id(), true, clock.instant());
        }
    }

    // ---------------------------------------------------------------- reads

    /** The lead's conversation, oldest first. @throws LeadNotFoundException for an unknown id */
    public List<Message> history(long leadId, int limit) {
        if (repository.findLead(leadId).isEmpty()) {
            throw new LeadNotFoundException("No lead has id " + leadId + ".");
        }
        return repository.history(leadId, limit);
    }

    /** Leads, most recent activity first; with a phone filter, at most the one lead with that number. */
    public List<Lead> leads(String phoneFilter, int limit) {
        if (phoneFilter != null && !phoneFilter.isBlank()) {
            String typed = phoneFilter.startsWith(" ") ? "+" + phoneFilter.strip() : phoneFilter.strip();
            PhoneNumber phone = PhoneNumber.parse(typed, config.defaultRegion());
            return repository.findLeadByPhone(phone).map(List::of).orElse(List.of());
        }
        return repository.listLeads(limit);
    }

    // ---------------------------------------------------------------- usage and cost

    /** The longest span {@link #usage} reports, in days. */
    public static final int MAX_USAGE_DAYS = 366;

    /**
     * Usage and estimated cost per day from {@code from} to {@code to}, both included, days in the
     * business's time zone ({@code BUSINESS_TIMEZONE}).
     *
     * @throws InvalidRequestException when {@code to} is before {@code from} or the span is over {@value #MAX_USAGE_DAYS} days
     */
    public UsageReport usage(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new InvalidRequestException("to (" + to + ") is before from (" + from + "); give the first day, then the last.");
        }
        if (from.plusDays(MAX_USAGE_DAYS).isBefore(to.plusDays(1))) {
            throw new InvalidRequestException("Ask for at most " + MAX_USAGE_DAYS + " days at a time.");
        }
        ZoneId zone = config.businessTimeZone();
        List<UsageDay> days = new ArrayList<>();
        UsageCounts total = UsageCounts.ZERO;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            UsageCounts c = repository.usage(d.atStartOfDay(zone).toInstant(), d.plusDays(1).atStartOfDay(zone).toInstant());
            days.add(new UsageDay(d, c, cost(c)));
            total = total.plus(c);
        }
        return new UsageReport(days, new UsageDay(null, total, cost(total)));
    }

    /** This calendar month's estimated spending (business time zone) against {@code MONTHLY_BUDGET_USD}. */
    public BudgetStatus budget() {
        return budget(clock.instant());
    }

    private BudgetStatus budget(Instant now) {
        ZoneId zone = config.businessTimeZone();
        Instant monthStart = now.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
        BigDecimal spent = cost(repository.usage(monthStart, now.plusMillis(1)));
        BigDecimal limit = config.monthlyBudget();
        return new BudgetStatus(limit, spent, limit != null && spent.compareTo(limit) >= 0);
    }

    /** Estimated cost in US dollars of {@code c} at the configured prices, to a hundredth of a cent. */
    public BigDecimal cost(UsageCounts c) {
        BigDecimal million = BigDecimal.valueOf(1_000_000);
        return config.priceOutboundSegment().multiply(BigDecimal.valueOf(c.outboundSegments()))
                .add(config.priceInboundSegment().multiply(BigDecimal.valueOf(c.inboundSegments())))
                .add(config.priceAiInputPerMillionTokens().multiply(BigDecimal.valueOf(c.promptTokens())).divide(million))
                .add(config.priceAiOutputPerMillionTokens().multiply(BigDecimal.valueOf(c.completionTokens())).divide(million))
                .setScale(4, RoundingMode.HALF_UP);
    }

    /** Where the Twilio and AI setup stands, for the settings page. */
    public SetupStatus setupStatus() {
        return SetupStatus.of(config);
    }

    // ---------------------------------------------------------------- reply worker

    /** Starts the reply workers. Idempotent. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        workerThreads = Executors.newFixedThreadPool(workerCount, daemon(workerPrefix + "-worker"));
        for (int i = 0; i < workerCount; i++) {
            String id = workerPrefix + "-" + i;
            workerThreads.execute(() -> workLoop(id));
        }
        log.info("Reply workers started: {} x {}", workerCount, workerPrefix);
        if (config.explicitBusinessTimeZone().isEmpty()) {
            log.info("🌙 BUSINESS_TIMEZONE is not set: cold staff texts to numbers whose time zone is unknown are not held back"
                    + " for quiet hours (8:00-21:00); set it to check them in the business's zone");
        }
    }

    /**
     * Wakes one idle worker per call; called after each inbound commit (one new job), so the reply starts
     * without waiting for a poll. Waking one rather than all matters under load: every woken worker runs a
     * claim transaction, and all but one would find nothing. A worker that finds a job looks for the next
     * one before it waits again, so a burst of jobs is never left behind.
     */
    public void wakeWorkers() {
        synchronized (signal) {
            wakeups.incrementAndGet();
            signal.notify();
        }
    }

    private void wakeAllWorkers() {
        synchronized (signal) {
            wakeups.incrementAndGet();
            signal.notifyAll();
        }
    }

    private void workLoop(String workerId) {
        Duration backoff = Duration.ZERO;
        while (running) {
            int seen = wakeups.get();
            try {
                if (processNextReply(workerId)) {
                    backoff = Duration.ZERO;
                    continue;
                }
                backoff = Duration.ZERO;
                waitForWork(seen, idleWait());
            } catch (StoreUnavailableException e) {
                backoff = backoff.isZero() ? Duration.ofMillis(200) : min(backoff.multipliedBy(2), Duration.ofSeconds(10));
                log.warn("Reply worker {}: store unavailable, retrying in {} ms", workerId, backoff.toMillis());
                waitForWork(Integer.MIN_VALUE, backoff);
            } catch (RuntimeException e) {
                log.error("Reply worker {} hit an unexpected error; continuing", workerId, LogSafe.exception(e));
                waitForWork(Integer.MIN_VALUE, pollInterval);
            }
        }
    }

    private Duration idleWait() {
        Instant now = clock.instant();
        Optional<Instant> next = repository.replyQueue().nextDueAt(now);
        if (next.isEmpty()) {
            return pollInterval;
        }
        Duration untilDue = Duration.between(now, next.get());
        return untilDue.isNegative() ? Duration.ofMillis(10) : min(untilDue, pollInterval);
    }

    private void waitForWork(int seenWakeups, Duration max) {
        synchronized (signal) {
            if (!running || (seenWakeups != Integer.MIN_VALUE && wakeups.get() != seenWakeups)) {
                return;
            }
            try {
                signal.wait(Math.max(1, max.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** Claims and runs one due reply job as worker {@code frontdesk-sync}; for tests and manual draining. */
    public boolean processNextReply() {
        return processNextReply(workerPrefix + "-sync");
    }

    /**
     * Claims and runs one due reply job.
     *
     * @return whether a job was claimed
     */
    boolean processNextReply(String workerId) {
        ReplyQueue queue = repository.replyQueue();
        Optional<ReplyJob> claimed = queue.claim(workerId, lease, clock.instant());
        if (claimed.isEmpty()) {
            return false;
        }
        ReplyJob job = claimed.get();
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(
                () -> extendLease(job, workerId), lease.toMillis() / 3, lease.toMillis() / 3, TimeUnit.MILLISECONDS);
        try {
            runJob(job, workerId);
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

    private void runJob(ReplyJob job, String workerId) {
        ReplyQueue queue = repository.replyQueue();
        if (recording.contains(job.id())) {
            // Its lease ran out while the store was down, but the reply went out: leave it to that worker.
            queue.retryLater(job.id(), workerId, "reply sent, being recorded", clock.instant().plus(lease));
            return;
        }
        Optional<Message> earlier = repository.findReplyForJob(job.id());
        if (earlier.isPresent() && earlier.get().status() != MessageStatus.PENDING) {
            // Answered already: an earlier worker sent it and died before completing the job.
            queue.complete(job.id(), workerId, clock.instant());
            return;
        }
        Lead lead = repository.findLead(job.leadId()).orElse(null);
        if (lead == null || lead.smsOptOut()) {
            queue.complete(job.id(), workerId, clock.instant());
            return;
        }
        if (earlier.isEmpty() && !lead.aiActive(clock.instant())) {
            // Staff have the conversation: they see the message in the dashboard and answer it themselves.
            // The job is done rather than deferred, so no stale AI reply goes out when the AI comes back.
            log.info("🙋 Lead {} is with staff; no AI reply to message {}", lead.id(), job.inboundMessageId());
            queue.complete(job.id(), workerId, clock.instant());
            return;
        }
        if (earlier.isEmpty() && !config.answersAutomatically(lead.phoneNumber())) {
            // Stored for staff, who can still text the customer; automatic texts go only where REPLY_COUNTRIES says.
            Instant now = clock.instant();
            if (firstInWindow(regionLoggedUntil, now, REGION_LOG_WINDOW)) {
                log.info("🌍 Texts from numbers outside REPLY_COUNTRIES ({}) are stored and not answered automatically, such as lead {} ({}); more are logged at debug level for a minute",
                        String.join(",", new java.util.TreeSet<>(config.replyCountries())), lead.id(), lead.phoneNumber().masked());
            } else {
                log.debug("Lead {} ({}) is outside REPLY_COUNTRIES; no automatic reply", lead.id(), lead.phoneNumber().masked());
            }
            metrics.replySkipped("region");
            queue.complete(job.id(), workerId, now);
            return;
        }
        Message pending;
        Reply reply = null;
        if (earlier.isPresent()) {
            // An earlier worker recorded the reply and died before Twilio's answer was stored: send again.
            // This is the one place a customer may get a reply twice (see README, "Delivery guarantees").
            pending = earlier.get();
        } else {
            // The reply goes out from the number the customer texted (several numbers may share one desk),
            // when that is one of the business's numbers: a webhook's To is not proof of that.
            String from = config.replyFromNumber(repository.findMessage(job.inboundMessageId()).map(Message::to).orElse(null));
            Optional<Reply> written = writeCappedReply(job, lead, workerId, from);
            if (written.isEmpty()) {
                return;
            }
            reply = written.get();
            Instant now = clock.instant();
            Lead latest = repository.findLead(lead.id()).orElse(lead);
            if (!latest.aiActive(now)) {
                log.info("🙋 Staff took lead {} over while its reply was written; reply dropped", lead.id());
                queue.complete(job.id(), workerId, now);
                return;
            }
            if (config.twilioTestMode() && !gateway.isVerified(lead.phoneNumber())) {
                repository.recordOutbound(new NewOutboundMessage(lead.id(), from, lead.phoneNumber().value(), reply.text(),
                        MessageStatus.FAILED, "unverified_number", SmsSegments.count(reply.text()), job.id(), now));
                log.warn("⚠️  Test mode: reply to {} not sent, the number is not verified", lead.phoneNumber().masked());
                queue.complete(job.id(), workerId, now);
                return;
            }
            pending = repository.recordOutbound(new NewOutboundMessage(lead.id(), from, lead.phoneNumber().value(),
                    reply.text(), MessageStatus.PENDING, null, SmsSegments.count(reply.text()), job.id(), now));
            if (pending.status() != MessageStatus.PENDING) {
                queue.complete(job.id(), workerId, clock.instant());
                return;
            }
        }
        // Fence: a worker that lost its lease (paused past it) must not send what the new holder will send.
        if (!queue.extendLease(job.id(), workerId, clock.instant().plus(lease))) {
            log.warn("Reply job {} is no longer held by {}; not sending", job.id(), workerId);
            return;
        }
        try {
            SendResult result = gateway.send(new OutboundSms(lead.phoneNumber(), pending.body(), pending.from(), config.statusCallbackUrl()));
            log.info("✅ SMS sent successfully: {}", result.sid());
            recordSent(job, workerId, pending, result);
            metrics.replySent(reply == null ? "retry" : reply.kind());
            if (reply != null && reply.afterHoursNotice()) {
                try {
                    repository.markAfterHoursNotice(lead.id(), clock.instant());
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
            recordRefusal(pending, lead, e);
            queue.complete(job.id(), workerId, clock.instant());
        } catch (DuplicateTwilioSidException e) {
            log.error("Twilio answered with a SID stored for another message; reply {} kept as sent without SID", pending.id());
            repository.markFailed(pending.id(), MessageStatus.FAILED, "duplicate_twilio_sid");
            queue.complete(job.id(), workerId, clock.instant());
        }
    }

    /**
     * Applies the burst and abuse rules before any reply is written, and writes it. Empty when a later job of
     * the same lead will answer this text too (the job is completed: folded into the later one), when the
     * customer may still be typing (the job is postponed until they have been quiet for the settle time, at
     * most the settle limit after their first unanswered text), when the lead has had
     * {@code AI_REPLIES_PER_LEAD_PER_HOUR} automatic replies in the last hour, or when
     * {@code AUTO_REPLIES_PER_HOUR} automatic texts went out in the last hour over all leads (completed:
     * silence). Past {@code AI_REPLIES_PER_HOUR} AI calls in the last hour, over all leads, the fallback reply
     * goes out without calling the AI. Caps are counted from the store and logged once per window.
     */
    private Optional<Reply> writeCappedReply(ReplyJob job, Lead lead, String workerId, String from) {
        ReplyQueue queue = repository.replyQueue();
        Instant now = clock.instant();
        if (queue.laterJobPending(job.id(), lead.id())) {
            log.info("Reply job {} for lead {} folded into a later one: one reply answers the texts together", job.id(), lead.id());
            queue.complete(job.id(), workerId, now);
            return Optional.empty();
        }
        Instant settled = job.createdAt().plus(replySettle);
        if (now.isBefore(settled)) {
            // The customer may still be typing: answer once they have been quiet for the settle time (a new text
            // enqueues a later job, which this one is then folded into), but never later than the settle limit
            // after the first text not yet answered, so a burst that goes on is still answered in time.
            Instant first = repository.firstUnansweredAt(lead.id()).filter(t -> t.isBefore(job.createdAt())).orElse(job.createdAt());
            Instant due = min(settled, first.plus(replySettleLimit));
            if (now.isBefore(due)) {
                queue.postpone(job.id(), workerId, due);
                return Optional.empty();
            }
        }
        // A job that ran before (released at shutdown, retried after a failure, taken over after a lease) was
        // admitted then and noted once: it keeps that decision, so its own note neither counts it a second
        // time nor shuts it out.
        Optional<Boolean> noted = job.attempts() > 1 ? repository.autoReplyAiCall(job.id()) : Optional.empty();
        boolean aiCall;
        if (noted.isPresent()) {
            aiCall = noted.get() && generator != ReplyGenerator.NONE;
        } else {
            Instant windowStart = now.minus(AI_CAP_WINDOW);
            if (repository.countAutoReplies(lead.id(), false, windowStart) >= config.aiRepliesPerLeadPerHour()) {
                if (firstInWindow(lead.id(), now)) {
                    log.warn("🚫 Lead {} ({}) reached AI_REPLIES_PER_LEAD_PER_HOUR ({}); their texts are stored but get no automatic reply for up to an hour",
                            lead.id(), lead.phoneNumber().masked(), config.aiRepliesPerLeadPerHour());
                }
                metrics.replySkipped("lead_cap");
                queue.complete(job.id(), workerId, now);
                return Optional.empty();
            }
            if (repository.countAutoReplies(null, false, windowStart) >= config.autoRepliesPerHour()) {
                if (firstInWindow(autoCapLoggedUntil, now, AI_CAP_WINDOW)) {
                    log.warn("🚫 Automatic texts reached AUTO_REPLIES_PER_HOUR ({}); customers' texts are stored but get no automatic reply for up to an hour",
                            config.autoRepliesPerHour());
                }
                metrics.replySkipped("auto_cap");
                queue.complete(job.id(), workerId, now);
                return Optional.empty();
            }
            aiCall = generator != ReplyGenerator.NONE;
            if (aiCall && repository.countAutoReplies(null, true, windowStart) >= config.aiRepliesPerHour()) {
                aiCall = false;
                if (firstInWindow(globalCapLoggedUntil, now, AI_CAP_WINDOW)) {
                    log.warn("🚫 AI replies reached AI_REPLIES_PER_HOUR ({}); customers get the fallback reply without an AI call for up to an hour",
                            config.aiRepliesPerHour());
                }
            }
            // Noted before the AI call, so that every instance counts this reply while it is being written.
            repository.recordAutoReply(job.id(), lead.id(), aiCall, now);
        }
        if (!aiCall && generator != ReplyGenerator.NONE) {
            metrics.fallbackReply("ai_cap");
            return Optional.of(fallback(followUpDue(lead, now)));
        }
        return Optional.of(writeReply(lead, job, from));
    }

    private boolean firstInWindow(long leadId, Instant now) {
        if (leadCapLoggedUntil.size() > 10_000) {
            leadCapLoggedUntil.values().removeIf(until -> !until.isAfter(now));
        }
        boolean[] first = {false};
        leadCapLoggedUntil.compute(leadId, (id, until) -> {
            if (until == null || !until.isAfter(now)) {
                first[0] = true;
                return now.plus(AI_CAP_WINDOW);
            }
            return until;
        });
        return first[0];
    }

    private static boolean firstInWindow(AtomicReference<Instant> loggedUntil, Instant now, Duration window) {
        Instant until = loggedUntil.get();
        return !until.isAfter(now) && loggedUntil.compareAndSet(until, now.plus(window));
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
                repository.markSent(pending.id(), result, clock.instant());
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

    /**
     * A reply ready to record.
     *
     * @param text             what to send
     * @param kind             {@code ai} or {@code fallback}
     * @param afterHoursNotice whether it tells the customer when a person follows up
     */
    private record Reply(String text, String kind, boolean afterHoursNotice) {
    }

    /**
     * The AI's reply, or the fallback reply when there is no AI, the monthly budget is reached, or the
     * generator fails, times out or says nothing. Records the AI call and any booking details it read.
     */
    private Reply writeReply(Lead lead, ReplyJob job, String from) {
        Instant now = clock.instant();
        List<Message> conversation = repository.history(lead.id(), config.historyLimit());
        boolean closed = !config.businessHours().isOpen(now);
        Optional<String> followUp = followUpDue(lead, now);
        boolean noticeDue = followUp.isPresent();
        if (generator == ReplyGenerator.NONE) {
            metrics.fallbackReply("no_ai");
            return fallback(followUp);
        }
        if (config.monthlyBudget() != null && budget(now).reached()) {
            log.warn("💸 Monthly budget of ${} reached; lead {} gets the fallback reply", config.monthlyBudget(), lead.id());
            metrics.fallbackReply("budget");
            return fallback(followUp);
        }
        if (now.isBefore(aiSkippedUntil)) {
            // The generator failed AI_FAILURES_BEFORE_PAUSE times in a row: answer at once instead of
            // making every customer wait the full AI deadline during an outage.
            log.info("Reply generator paused after repeated failures; sending the fallback reply to lead {}", lead.id());
            metrics.fallbackReply("ai_paused");
            return fallback(followUp);
        }
        List<String> notes = new ArrayList<>();
        if (noticeDue) {
            notes.add("It is outside business hours now. Still help the customer now, and tell them once that a person from the team will follow up "
                    + followUp.get() + ".");
        } else if (closed && config.businessHours().nextOpening(now).isPresent()) {
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
            notes.add("Booking details still missing: " + String.join(", ", missing.stream().map(FrontDesk::words).toList())
                    + ". Ask for only the first of these that the customer has not given yet, one question per message,"
                    + " after answering what they asked.");
        }
        Instant deadline = now.plus(config.aiTimeout());
        ReplyRequest request = new ReplyRequest(config.businessProfileFor(from), lead, conversation, deadline, notes);
        long started = System.nanoTime();
        Future<ReplyResult> call = aiExecutor.submit(() -> generator.generate(request));
        aiCalls.add(call);
        String outcome = "failed";
        ReplyResult result = null;
        try {
            if (stopping) {
                call.cancel(true);
            }
            result = call.get(config.aiTimeout().toMillis(), TimeUnit.MILLISECONDS);
            aiFailuresInARow.set(0);
            String reply = result == null ? null : result.reply();
            if (reply == null || reply.isBlank()) {
                outcome = "empty";
                log.warn("Reply generator gave no text for lead {}; sending the fallback reply", lead.id());
            } else {
                Optional<String> refused = guard.check(reply.strip());
                if (refused.isPresent()) {
                    outcome = "refused";
                    log.warn("Reply for lead {} failed the output check ({}); sending the fallback reply", lead.id(),
                            LogSafe.message(refused.get(), 200));
                } else {
                    outcome = "ok";
                }
            }
        } catch (CancellationException e) {
            throw new ReleasedAtShutdown();
        } catch (TimeoutException e) {
            call.cancel(true);
            aiFailed();
            outcome = "timeout";
            log.warn("Reply generator took longer than {} s for lead {}; sending the fallback reply",
                    config.aiTimeout().toSeconds(), lead.id());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplyRefusedException refused) {
                // The model answered; its answer was unsafe. Not an outage, so the AI is not paused for it.
                aiFailuresInARow.set(0);
                outcome = "refused";
                log.warn("Reply for lead {} failed the output check ({}); sending the fallback reply", lead.id(),
                        LogSafe.message(refused.getMessage(), 200));
            } else {
                aiFailed();
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
        repository.recordAiCall(new AiCall(lead.id(), job.id(), result != null && result.model() != null ? result.model() : config.openAiModel(),
                outcome, result == null ? 0 : result.promptTokens(), result == null ? 0 : result.completionTokens(),
                latency.toMillis(), clock.instant()));
        if (result != null && !result.qualification().isEmpty()) {
            repository.updateQualification(lead.id(), result.qualification(), false);
        }
        if (!outcome.equals("ok")) {
            metrics.fallbackReply("ai_failed");
            return fallback(followUp);
        }
        return new Reply(result.reply().strip(), "ai", noticeDue);
    }

    /** When a person follows up, in words, if the customer is to be told now (out of hours, not told this closed spell). */
    private Optional<String> followUpDue(Lead lead, Instant now) {
        BusinessHours hours = config.businessHours();
        if (hours.isOpen(now)) {
            return Optional.empty();
        }
        Optional<String> followUp = hours.nextOpeningInWords(now);
        boolean due = followUp.isPresent() && (lead.afterHoursNoticeAt() == null
                || hours.lastClosing(now).map(c -> lead.afterHoursNoticeAt().isBefore(c)).orElse(true));
        return due ? followUp : Optional.empty();
    }

    private Reply fallback(Optional<String> followUp) {
        if (followUp.isEmpty()) {
            return new Reply(config.fallbackReply(), "fallback", false);
        }
        String text = config.fallbackReply() + " We're closed right now; a person from our team will follow up " + followUp.get() + ".";
        return new Reply(text.length() > MAX_BODY_CHARS ? config.fallbackReply() : text, "fallback", text.length() <= MAX_BODY_CHARS);
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

    private void aiFailed() {
        if (aiFailuresInARow.incrementAndGet() >= AI_FAILURES_BEFORE_PAUSE) {
            aiFailuresInARow.set(0);
            aiSkippedUntil = clock.instant().plus(AI_PAUSE);
            log.warn("Reply generator failed {} times in a row; fallback replies only for the next {} s",
                    AI_FAILURES_BEFORE_PAUSE, AI_PAUSE.toSeconds());
        }
    }

    /** Thrown inside a job when shutdown interrupted it before anything was sent. */
    private static final class ReleasedAtShutdown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReleasedAtShutdown() {
            super("released at shutdown", null, false, false);
        }
    }

    private Duration retryDelay(int attempts) {
        long base = 1000L << Math.min(Math.max(attempts - 1, 0), 6); // 1 s, 2 s, ... 64 s
        long jitter = ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Duration.ofMillis(base / 2 + jitter);
    }

    private String fromNumber() {
        return config.twilioPhoneNumber() == null ? null : config.twilioPhoneNumber().value();
    }

    /**
     * Stops the workers: no new job is claimed; jobs still waiting for the reply generator are released
     * at once (nothing was sent, another worker here or elsewhere takes them over without waiting for the
     * lease); jobs already sending get the shutdown timeout to finish. A job still busy after that keeps
     * its lease until it expires, and is then taken over. Returns within the shutdown timeout (default
     * {@link #DEFAULT_SHUTDOWN_TIMEOUT}) plus a moment.
     */
    @Override
    public void close() {
        ExecutorService threads;
        synchronized (this) {
            running = false;
            stopping = true;
            threads = workerThreads;
            workerThreads = null;
        }
        wakeAllWorkers();
        for (Future<?> call : aiCalls) {
            call.cancel(true);
        }
        if (threads != null) {
            threads.shutdown();
            try {
                if (!threads.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("Reply workers still busy after {} s; their jobs will be retried when the lease ends",
                            shutdownTimeout.toSeconds());
                    threads.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                threads.shutdownNow();
            }
        }
        heartbeats.shutdownNow();
        if (ownsAiExecutor) {
            aiExecutor.shutdownNow();
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Builds a {@link FrontDesk}; fails fast naming the missing field. Not thread-safe. */
    public static final class Builder {
        private FrontDeskConfig config;
        private LeadRepository repository;
        private SmsGateway gateway;
        private ReplyGenerator generator = ReplyGenerator.NONE;
        private Clock clock = Clock.systemUTC();
        private int workers = 2;
        private Duration lease = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration replySettle = DEFAULT_REPLY_SETTLE;
        private Duration replySettleLimit = DEFAULT_REPLY_SETTLE_LIMIT;
        private int maxSendAttempts = 5;
        private String workerId;
        private ExecutorService aiExecutor;
        private FrontDeskMetrics metrics = FrontDeskMetrics.NONE;

        private Builder() {
        }

        public Builder config(FrontDeskConfig v) { config = v; return this; }
        public Builder repository(LeadRepository v) { repository = v; return this; }
        public Builder gateway(SmsGateway v) { gateway = v; return this; }
        public Builder replyGenerator(ReplyGenerator v) { generator = Objects.requireNonNull(v, "replyGenerator"); return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }
        /** Reply worker threads in this process (default 2). */
        public Builder workers(int v) { workers = v; return this; }
        /** How long a claimed job is held before another worker may take it (default 30 s; renewed every third of it). */
        public Builder lease(Duration v) { lease = Objects.requireNonNull(v, "lease"); return this; }
        /** How often idle workers look for due jobs that no wake-up announced (default 1 s). */
        public Builder pollInterval(Duration v) { pollInterval = Objects.requireNonNull(v, "pollInterval"); return this; }
        /**
         * How long {@link FrontDesk#close()} waits for sends in flight (default {@link FrontDesk#DEFAULT_SHUTDOWN_TIMEOUT}, 20 s);
         * jobs waiting for the reply generator are given back at once, whatever this says.
         */
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = Objects.requireNonNull(v, "shutdownTimeout"); return this; }
        /**
         * How long a customer must have been quiet before their text is answered (default
         * {@link FrontDesk#DEFAULT_REPLY_SETTLE}, 2 s): a burst of texts gets one answer, written after its last
         * text. Zero answers each job as soon as it is claimed (tests that drive the worker by hand).
         */
        public Builder replySettle(Duration v) { replySettle = Objects.requireNonNull(v, "replySettle"); return this; }
        /**
         * The longest an answer waits for a burst to end, from the customer's first text not yet answered
         * (default {@link FrontDesk#DEFAULT_REPLY_SETTLE_LIMIT}, 5 s); at least {@link #replySettle}. With the AI
         * deadline it bounds when a customer gets an answer.
         */
        public Builder replySettleLimit(Duration v) { replySettleLimit = Objects.requireNonNull(v, "replySettleLimit"); return this; }
        /** Send attempts of a reply before it is recorded as failed (default 5). */
        public Builder maxSendAttempts(int v) { maxSendAttempts = v; return this; }
        /** Prefix of this process's worker names in leases (default random). */
        public Builder workerId(String v) { workerId = v; return this; }
        /** Runs reply-generator calls (default: a cached pool owned and shut down by the front desk). */
        public Builder aiExecutor(ExecutorService v) { aiExecutor = v; return this; }
        /** Where operational events go (default {@link FrontDeskMetrics#NONE}); e.g. a {@code MicrometerFrontDeskMetrics}. */
        public Builder metrics(FrontDeskMetrics v) { metrics = Objects.requireNonNull(v, "metrics"); return this; }

        public FrontDesk build() {
            if (config == null) {
                throw new IllegalStateException("config is required: FrontDeskConfig.fromEnvironment(System.getenv()) or FrontDeskConfig.builder()");
            }
            if (repository == null) {
                throw new IllegalStateException("repository is required: a JdbcLeadRepository, or an InMemoryLeadRepository for tests");
            }
            if (gateway == null) {
                throw new IllegalStateException("gateway is required: a TwilioSmsGateway, or a console gateway for local work");
            }
            if (workers < 1) {
                throw new IllegalStateException("workers must be at least 1, was " + workers);
            }
            if (lease.toMillis() < 300) {
                throw new IllegalStateException("lease must be at least 300 ms, was " + lease);
            }
            if (replySettle.isNegative()) {
                throw new IllegalStateException("replySettle must not be negative, was " + replySettle);
            }
            if (replySettleLimit.compareTo(replySettle) < 0) {
                throw new IllegalStateException("replySettleLimit (" + replySettleLimit + ") must be at least replySettle (" + replySettle + ")");
            }
            if (maxSendAttempts < 1) {
                throw new IllegalStateException("maxSendAttempts must be at least 1, was " + maxSendAttempts);
            }
            return new FrontDesk(this);
        }
    }
}
