package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.OwnerAlert;
import dev.frontdesk.sms.OwnerAlerts;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.SmsSendException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the store's owner alerts to {@code OWNER_PHONE_NUMBER} on a thread of its own, so a slow Twilio never holds a
 * webhook or a reply. Each pass claims due alerts with a lease (two instances never send one alert), writes each text
 * ({@link OwnerAlertText}) and sends it through the {@link SmsGateway} from the business's number, without a status
 * callback and without recording a message: an alert is not part of any customer's conversation, and the customer's
 * caps (which count the customer's messages and automatic replies) never see it. A refusal that may succeed later
 * (429, 5xx, no connection) is retried with backoff (first within 10 s, at most 30 min apart) for a day; a refusal
 * for good, or an answer that never came (the text may be out: never risk a second), fails the alert. The thread is
 * woken after the front desk's writes (an alert rides in one) and otherwise looks every {@link #POLL}. Thread-safe.
 */
public final class OwnerAlerter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OwnerAlerter.class);

    /** How often an idle sender looks for alerts no wake-up announced (other instances', retries). */
    static final Duration POLL = Duration.ofSeconds(10);
    /** Alerts one pass claims. */
    static final int BATCH = 5;
    /** Long enough for a batch of sends with the gateway's own retries and timeouts. */
    static final Duration LEASE = Duration.ofMinutes(2);
    static final Duration RETRY_FOR = Duration.ofHours(24);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(30);

    private final FrontDeskConfig config;
    private final LeadRepository repository;
    private final OwnerAlerts alerts;
    private final SmsGateway gateway;
    private final Clock clock;
    private final String workerId;
    private final String linkTemplate;
    private final PhoneNumber owner;
    private final LongConsumer settled;
    private final Backoff backoff;
    private final DueWorkLoop loop;

    /**
     * @param linkTemplate where staff open a lead, {@code {id}} standing for its id, or null for no link
     * @param settled      told the lead's id after an alert was sent or given up on (quick, must not throw)
     * @throws IllegalArgumentException when the config has no owner number
     */
    public OwnerAlerter(FrontDeskConfig config, LeadRepository repository, SmsGateway gateway, Clock clock, String workerId,
            String linkTemplate, LongConsumer settled) {
        this(config, repository, gateway, clock, workerId, linkTemplate, settled, () -> ThreadLocalRandom.current().nextDouble());
    }

    OwnerAlerter(FrontDeskConfig config, LeadRepository repository, SmsGateway gateway, Clock clock, String workerId,
            String linkTemplate, LongConsumer settled, DoubleSupplier jitter) {
        this.settled = Objects.requireNonNull(settled, "settled");
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.alerts = repository.ownerAlerts();
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.linkTemplate = linkTemplate == null || linkTemplate.isBlank() ? null : linkTemplate.strip();
        this.owner = config.twilio().ownerPhoneNumber();
        if (owner == null) {
            throw new IllegalArgumentException("Owner alerts need OWNER_PHONE_NUMBER.");
        }
        this.backoff = new Backoff(FIRST_RETRY, LONGEST_WAIT, jitter);
        this.loop = new DueWorkLoop(workerId, BATCH, POLL, clock, this::sendDue, alerts::nextDueAt,
                e -> log.warn("📣 Owner alerts paused: {}", LogSafe.error(e)));
    }

    /**
     * The sender for this front desk: with {@code OWNER_PHONE_NUMBER} set and a store that keeps alerts, enables the
     * store's alerts and returns it; otherwise empty (nothing is recorded or sent).
     */
    public static Optional<OwnerAlerter> forConfig(FrontDeskConfig config, LeadRepository repository, SmsGateway gateway,
            Clock clock, String workerId, String linkTemplate, LongConsumer settled) {
        if (config.twilio().ownerPhoneNumber() == null) {
            return Optional.empty();
        }
        try {
            repository.ownerAlerts().enable();
        } catch (UnsupportedOperationException e) {
            log.warn("📣 Owner alerts: off ({})", e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new OwnerAlerter(config, repository, gateway, clock, workerId, linkTemplate, settled));
    }

    /** Starts the sending thread. Idempotent. */
    public void start() {
        if (loop.start()) {
            log.info("📣 Owner alerts: on, to {}", owner.masked());
        }
    }

    /** Makes an idle sender look for due alerts now; quick, never throws. */
    public void wake() {
        loop.wake();
    }

    /**
     * One pass on the calling thread: claims up to {@value #BATCH} due alerts, sends and settles each.
     *
     * @return how many alerts were attempted
     */
    public int sendDue() {
        List<OwnerAlert> claimed = alerts.claim(workerId, LEASE, clock.instant(), BATCH);
        for (OwnerAlert a : claimed) {
            send(a);
            settled.accept(a.leadId()); // the lead's page shows where its alerts stand
        }
        return claimed.size();
    }

    private void send(OwnerAlert a) {
        Optional<Lead> lead = repository.leads().findLead(a.leadId());
        if (lead.isEmpty()) {
            alerts.markFailed(a.id(), workerId, "its lead is no longer in the store", clock.instant());
            return;
        }
        if (lead.get().phoneNumber().equals(owner)) {
            alerts.markFailed(a.id(), workerId, "the lead is the owner's own number", clock.instant());
            return;
        }
        if (config.twilio().testMode() && !gateway.isVerified(owner)) {
            log.warn("📣 Owner alert ({}) for lead {} not sent: test mode and OWNER_PHONE_NUMBER is not a verified number",
                    a.reason().wireName(), a.leadId());
            alerts.markFailed(a.id(), workerId, "unverified_number: in test mode OWNER_PHONE_NUMBER must be a verified number",
                    clock.instant());
            return;
        }
        Message quoted = a.messageId() == null ? null : repository.messages().findMessage(a.messageId()).orElse(null);
        String link = linkTemplate == null ? null : linkTemplate.replace("{id}", Long.toString(a.leadId()));
        String text = OwnerAlertText.compose(a.reason(), lead.get().phoneNumber(), lead.get().qualification().name(),
                quoted == null ? null : quoted.body(), link);
        String from = config.replyFromNumber(quoted == null ? null : Channel.WHATSAPP.number(quoted.to()));
        try {
            SendResult sent = gateway.send(new OutboundSms(owner, text, from, null, Channel.SMS));
            alerts.markSent(a.id(), workerId, sent.sid(), clock.instant());
            log.info("📣 Owner alert ({}) for lead {} sent: {}", a.reason().wireName(), a.leadId(), sent.sid());
        } catch (SmsSendException e) {
            settleRefusal(a, e);
        }
    }

    private void settleRefusal(OwnerAlert a, SmsSendException e) {
        Instant now = clock.instant();
        String why = "twilio_error " + e.storedErrorCode() + ": " + LogSafe.message(e.getMessage(), 200);
        Instant next = now.plus(backoff.delay(a.attempts()));
        if (e.retryable() && !e.outcomeUnknown() && !next.isAfter(a.createdAt().plus(RETRY_FOR))) {
            log.info("📣 Owner alert ({}) for lead {} not sent (attempt {}): {}; next attempt at {}", a.reason().wireName(),
                    a.leadId(), a.attempts(), why, next);
            alerts.retryLater(a.id(), workerId, why, next);
        } else {
            log.warn("📣 Owner alert ({}) for lead {} failed for good after {} attempts: {}", a.reason().wireName(), a.leadId(),
                    a.attempts(), why);
            alerts.markFailed(a.id(), workerId, why, now);
        }
    }

    /** Stops the thread; an alert being sent stays leased and is taken again after its lease if it was not settled. */
    @Override
    public void close() {
        loop.stop(false, () -> { }, Duration.ofSeconds(5));
    }
}
