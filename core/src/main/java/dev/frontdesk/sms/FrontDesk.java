package dev.frontdesk.sms;

import dev.frontdesk.sms.events.EventWebhooks;
import dev.frontdesk.sms.internal.DeskParts;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front desk: receives customers' texts and delivery callbacks, answers customers through the reply
 * workers, and serves staff.
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
 * five generator failures in a row the generator is paused for 30 seconds and the fallback reply goes out without
 * waiting for it.
 */
public final class FrontDesk implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FrontDesk.class);

    /** Twilio's limit on the length of one message. */
    public static final int MAX_BODY_CHARS = 1600;
    /** The longest span {@link #usage} reports, in days. */
    public static final int MAX_USAGE_DAYS = 366;

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

    private final FrontDeskConfig config;
    private final FrontDeskMetrics metrics;
    private final Clock clock;
    private final int workerCount;
    private final String workerPrefix;
    private final Duration shutdownTimeout;
    private final DeskParts parts;

    private FrontDesk(Builder b) {
        this.config = b.config;
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.workerCount = b.workers;
        this.workerPrefix = b.workerId != null ? b.workerId : "frontdesk-" + UUID.randomUUID().toString().substring(0, 8);
        this.shutdownTimeout = b.shutdownTimeout;
        this.parts = new DeskParts(new DeskParts.Settings(config, b.repository, b.gateway, b.generator, metrics, clock,
                workerPrefix, b.lease, b.pollInterval, b.replySettle, b.replySettleLimit, b.maxSendAttempts, b.aiExecutor,
                b.events, b.ownerAlertLink));
    }

    public static Builder builder() {
        return new Builder();
    }

    public FrontDeskConfig config() {
        return config;
    }

    /** The front desk's current time, from the clock it was built with (tests hand in their own). */
    public Instant now() {
        return clock.instant();
    }

    /** Whether the store answers now (one cheap round trip); never throws. For health checks. */
    public Health health() {
        try {
            parts.repository().checkAvailable();
            return Health.UP;
        } catch (RuntimeException e) {
            return Health.down(e.getMessage());
        }
    }

    /** Reply jobs not done yet, over all instances sharing the store: the depth of the reply queue. */
    public long pendingReplies() {
        return parts.repository().replyQueue().pendingCount();
    }

    /** Counts a Twilio webhook of {@code kind} ({@code sms}, {@code status}) that was accepted, for the host's metrics. */
    public void webhookReceived(String kind) {
        metrics.webhookReceived(kind);
    }

    /** Counts a Twilio webhook of {@code kind} refused for {@code reason} ({@code signature}, {@code invalid}...). */
    public void webhookRejected(String kind, String reason) {
        metrics.webhookRejected(kind, reason);
    }

    /**
     * Calls {@code listener} after each change the front desk makes to a lead or a message (an inbound text, a
     * status callback, a reply, a staff text, a lead edit), once the store has it: what the live event stream
     * ({@code GET /api/events/stream}) is made of. The listener runs on the thread that made the change, so it
     * must be quick (see {@link ChangeListener}). After {@link #close()} it is told {@link ChangeListener#onClosed()}.
     *
     * @return closing it stops the calls
     */
    public AutoCloseable onChange(ChangeListener listener) {
        return parts.changes().subscribe(listener);
    }

    // ---------------------------------------------------------------- inbound and status

    /**
     * Records an inbound text (flow "Inbound SMS"): lead found or created, message stored once per
     * MessageSid, keywords applied, reply job enqueued, workers woken. Does not call the AI or Twilio.
     *
     * @throws StoreUnavailableException when the store is down (the webhook should answer 503)
     */
    public InboundReceipt receiveInbound(InboundSms sms) {
        return parts.inbound().receive(sms);
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
        return parts.inbound().receiveFromOtherSender(message);
    }

    /**
     * Applies a delivery-status callback (flow "Delivery status"). Unknown SIDs and late statuses change
     * nothing and are not errors, so Twilio does not retry them.
     */
    public StatusResult receiveStatus(StatusUpdate update) {
        return parts.inbound().receiveStatus(update);
    }

    // ---------------------------------------------------------------- calls

    /**
     * A call to the business ({@code POST /api/twilio/voice/inbound}): the number to forward it to
     * ({@code OWNER_PHONE_NUMBER}); empty when there is none, and then the caller (when their number is known and
     * they have not opted out) becomes a lead with source {@code call} and gets a missed-call text from the reply worker.
     *
     * @throws StoreUnavailableException when the store is down
     */
    public Optional<PhoneNumber> receiveCall(InboundCall call) {
        return parts.calls().receive(call);
    }

    /**
     * The outcome of forwarding a call ({@code POST /api/twilio/voice/dial-status}): for {@code no-answer},
     * {@code busy}, {@code failed} and {@code canceled} the caller becomes (or stays) a lead and gets one text written
     * by the AI (a fallback text when it is out), also when Twilio repeats the callback; {@code completed} sends nothing.
     *
     * @return whether a missed-call text was enqueued now
     * @throws StoreUnavailableException when the store is down
     */
    public boolean receiveDialStatus(InboundCall call) {
        return parts.calls().dialed(call);
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
        return parts.staff().send(request);
    }

    /**
     * Sets booking details by hand ({@code PATCH /api/leads/{leadId}}): each given field is set (null clears
     * it) and is never overwritten by the AI afterwards.
     *
     * @throws LeadNotFoundException for an unknown id
     */
    public Lead editQualification(long leadId, Map<Qualification.Field, String> values) {
        return parts.leads().editQualification(leadId, values);
    }

    /**
     * Switches a lead's AI on, or off ({@code POST /api/leads/{leadId}/ai}): off for {@code minutes}, or until
     * switched on again when {@code minutes} is null.
     *
     * @throws LeadNotFoundException for an unknown id
     * @throws InvalidRequestException when minutes is given with {@code enabled} or is out of range
     */
    public Lead setAi(long leadId, boolean enabled, Integer minutes) {
        return parts.leads().setAi(leadId, enabled, minutes);
    }

    /** The lead's conversation, oldest first. @throws LeadNotFoundException for an unknown id */
    public List<Message> history(long leadId, int limit) {
        return parts.leads().history(leadId, limit);
    }

    /** The first {@code limit} leads, most recent activity first; with a phone filter, at most the one with that number. */
    public List<Lead> leads(String phoneFilter, int limit) {
        return leads(phoneFilter, LeadQuery.first(limit, now())).leads().stream().map(LeadOverview::lead).toList();
    }

    /**
     * A page of leads ({@code GET /api/leads}), most recent activity first, each with its latest message; with a
     * phone filter, at most the one lead with that number (and no next page).
     *
     * @throws InvalidPhoneNumberException when the phone filter is not a phone number
     */
    public LeadPage leads(String phoneFilter, LeadQuery query) {
        return parts.leads().leads(phoneFilter, query);
    }

    /** The lead with its latest message ({@code GET /api/leads/{leadId}}). @throws LeadNotFoundException for an unknown id */
    public LeadOverview lead(long leadId) {
        return parts.leads().lead(leadId);
    }

    // ---------------------------------------------------------------- usage and cost

    /**
     * Usage and estimated cost per day from {@code from} to {@code to}, both included, days in the
     * business's time zone ({@code BUSINESS_TIMEZONE}).
     *
     * @throws InvalidRequestException when {@code to} is before {@code from} or the span is over {@value #MAX_USAGE_DAYS} days
     */
    public UsageReport usage(LocalDate from, LocalDate to) {
        return parts.usage().usage(from, to, clock.instant());
    }

    /** This calendar month's estimated spending (business time zone) against {@code MONTHLY_BUDGET_USD}. */
    public BudgetStatus budget() {
        return parts.usage().budget(clock.instant());
    }

    /** Estimated cost in US dollars of {@code c} at the configured prices, to a hundredth of a cent. */
    public BigDecimal cost(UsageCounts c) {
        return parts.usage().cost(c);
    }

    /** Where the Twilio and AI setup stands, for the settings page. */
    public SetupStatus setupStatus() {
        return SetupStatus.of(config);
    }

    // ---------------------------------------------------------------- event webhooks

    /**
     * The newest {@code limit} events in {@code status}, newest first ({@code GET /api/events}): what the CRM was sent,
     * what waits for a retry and why, what was given up on. Empty when the front desk has no event webhooks.
     */
    public List<OutboxEvent> events(OutboxEvent.Status status, int limit) {
        return parts.events() == null ? List.of() : parts.repository().events().list(status, limit);
    }

    /** Whether this front desk posts event webhooks ({@code FrontDesk.Builder.events}), so an empty list means none, not off. */
    public boolean eventsEnabled() {
        return parts.events() != null;
    }

    /**
     * Delivers due events once on the calling thread (at most a few), for tests and manual draining; the delivery
     * thread started by {@link #start()} does this by itself. Returns how many were attempted (0 without event webhooks).
     */
    public int deliverEvents() {
        return parts.events() == null ? 0 : parts.events().deliverDue();
    }

    // ---------------------------------------------------------------- reply workers

    /** Starts the reply workers. Idempotent. */
    public void start() {
        if (!parts.start(workerCount, workerPrefix)) {
            return;
        }
        log.info("Reply workers started: {} x {}", workerCount, workerPrefix);
        if (config.business().explicitTimeZone().isEmpty()) {
            log.info("🌙 BUSINESS_TIMEZONE is not set: cold staff texts to numbers whose time zone is unknown are not held back"
                    + " for quiet hours (8:00-21:00); set it to check them in the business's zone");
        }
    }

    /**
     * Wakes one idle worker (it looks for the next job before it waits again) and the owner alert sender, without a poll.
     */
    public void wakeWorkers() {
        parts.wakeWorkers();
    }

    /** Claims and runs one due reply job as worker {@code <workerId>-sync}; for tests and manual draining. */
    public boolean processNextReply() {
        return parts.runner().runNext(workerPrefix + "-sync").ran();
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
        parts.close(shutdownTimeout);
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
        private Duration pollInterval;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration replySettle = DEFAULT_REPLY_SETTLE;
        private Duration replySettleLimit = DEFAULT_REPLY_SETTLE_LIMIT;
        private int maxSendAttempts = 5;
        private String workerId;
        private ExecutorService aiExecutor;
        private FrontDeskMetrics metrics = FrontDeskMetrics.NONE;
        private EventWebhooks events;
        private String ownerAlertLink;

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
        /**
         * How often idle workers look for due jobs that no wake-up announced (default 1 s; 15 s when the store
         * announces other processes' jobs, as the JDBC store on PostgreSQL does with a listening connection).
         */
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
        /**
         * Posts signed lead events to the host's CRM ({@code EventWebhooks.fromEnvironment}; default none). The store
         * then records them in its outbox; a store without one ({@link EventOutbox#UNSUPPORTED}) fails the build.
         */
        public Builder events(EventWebhooks v) { events = v; return this; }
        /** Where an owner alert links, {@code {id}} standing for the lead's id, e.g. {@code https://desk.example.com/#/leads/{id}} (default none). */
        public Builder ownerAlertLink(String v) { ownerAlertLink = v; return this; }

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
            if (events != null) {
                try {
                    repository.events().enable();
                } catch (UnsupportedOperationException e) {
                    throw new IllegalStateException("EVENTS_WEBHOOK_URL is set but the store keeps no event outbox: "
                            + e.getMessage(), e);
                }
            }
            return new FrontDesk(this);
        }
    }
}
