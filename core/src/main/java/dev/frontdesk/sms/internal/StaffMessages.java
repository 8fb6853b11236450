package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.EmptyMessageException;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.InvalidRequestException;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadNotFoundException;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.MessageTooLongException;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.OptedOutException;
import dev.frontdesk.sms.OutsideWindowException;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.QuietHoursException;
import dev.frontdesk.sms.RateLimitedException;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.StaffMessage;
import dev.frontdesk.sms.UnverifiedNumberException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of a message typed by staff, in the contract's order: message empty, carrying NUL or too long;
 * phone number; who it is for; the {@code OUTBOUND_PER_MINUTE} cap (counted from the store, before any lead is
 * created); lead; opt-out; test-mode verification; quiet hours for cold texts; then the send (which schedules the
 * lead's follow-up with {@code FOLLOW_UP_HOURS}), after which the AI stays out of the conversation for
 * {@code HUMAN_TAKEOVER_MINUTES}. Thread-safe.
 */
public final class StaffMessages {
    private static final Logger log = LoggerFactory.getLogger(StaffMessages.class);

    /** The window of the staff cap ({@code OUTBOUND_PER_MINUTE}). */
    static final Duration OUTBOUND_CAP_WINDOW = Duration.ofMinutes(1);
    private static final String CAP_LOG = "outbound_cap";

    private final FrontDeskConfig config;
    private final LeadRepository repository;
    private final SmsGateway gateway;
    private final Outbox outbox;
    private final FrontDeskMetrics metrics;
    private final Clock clock;
    private final LogThrottle capLog = new LogThrottle();
    private final Consumer<Instant> followUpScheduled;

    /** @param followUpScheduled told when a staff text scheduled the lead's follow-up, so that a worker is woken then */
    public StaffMessages(FrontDeskConfig config, LeadRepository repository, SmsGateway gateway, Outbox outbox,
            FrontDeskMetrics metrics, Clock clock, Consumer<Instant> followUpScheduled) {
        this.followUpScheduled = Objects.requireNonNull(followUpScheduled, "followUpScheduled");
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Checks and sends a staff message; see {@link FrontDesk#sendStaffMessage} for what it throws. */
    public Message send(StaffMessage request) {
        String body = request.message();
        if (body == null || body.isBlank()) {
            throw new EmptyMessageException("Message is empty; write something to send.");
        }
        if (body.indexOf('\0') >= 0) {
            throw new InvalidRequestException("The message contains a NUL character (U+0000), which SMS cannot carry; remove it.");
        }
        if (body.length() > FrontDesk.MAX_BODY_CHARS) {
            throw new MessageTooLongException("Message is " + body.length() + " characters; SMS allows at most "
                    + FrontDesk.MAX_BODY_CHARS + ". Shorten it or split it into several messages.");
        }
        PhoneNumber phone = request.phoneNumber() == null ? null : PhoneNumber.parse(request.phoneNumber(), config.business().defaultRegion());
        if (request.leadId() == null && phone == null) {
            throw new InvalidRequestException("Give leadId or phoneNumber to say who the message is for.");
        }
        Instant now = clock.instant();
        // Counted from the store, so the cap holds across instances; concurrent sends may pass it by a few.
        if (repository.usage().countStaffMessages(now.minus(OUTBOUND_CAP_WINDOW)) >= config.limits().outboundPerMinute()) {
            if (capLog.first(CAP_LOG, now, OUTBOUND_CAP_WINDOW)) {
                log.warn("🚫 Staff messages reached OUTBOUND_PER_MINUTE ({}); further sends are refused with 429 for a minute",
                        config.limits().outboundPerMinute());
            }
            throw new RateLimitedException("Staff messages are limited to " + config.limits().outboundPerMinute()
                    + " a minute (OUTBOUND_PER_MINUTE) and that many were sent in the last minute; wait a minute and send again.",
                    OUTBOUND_CAP_WINDOW);
        }
        Lead lead;
        if (request.leadId() != null) {
            lead = repository.leads().findLead(request.leadId())
                    .orElseThrow(() -> new LeadNotFoundException("No lead has id " + request.leadId() + "."));
            if (phone != null && !phone.equals(lead.phoneNumber())) {
                throw new InvalidRequestException("leadId " + lead.id() + " and phoneNumber name different leads; give one of them, or both for the same lead.");
            }
        } else {
            lead = repository.leads().findOrCreateLead(phone, Lead.SOURCE_MANUAL, now);
        }
        if (lead.smsOptOut()) {
            throw new OptedOutException("This customer texted STOP and has opted out of SMS; they must text START before you can message them.");
        }
        if (config.twilio().testMode() && !gateway.isVerified(lead.phoneNumber())) {
            throw new UnverifiedNumberException("Test mode: " + lead.phoneNumber().masked()
                    + " is not a verified number in your Twilio account. Verify it in the Twilio console or set TWILIO_TEST_MODE=false.");
        }
        List<Message> recent = repository.messages().history(lead.id(), config.replies().historyLimit());
        boolean wroteToday = CustomerWindow.wroteWithinDay(recent, now);
        if (lead.channel() == Channel.WHATSAPP && !wroteToday) {
            throw new OutsideWindowException("WhatsApp lets a business write freely only within 24 hours of the customer's"
                    + " last message, and this customer last wrote longer ago; wait until they write again, or text them by SMS.");
        }
        if (!request.force() && !wroteToday) {
            // Only a cold text can wake someone: a customer who texted in the last day is waiting for the answer.
            Optional<String> quiet = QuietHours.check(lead.phoneNumber(), config.business().explicitTimeZone(), now);
            if (quiet.isPresent() && !calledWithinDay(lead, now)) { // asked only at night: a call counts as texting
                throw new QuietHoursException(quiet.get());
            }
        }
        Message pending = repository.messages().recordOutbound(new NewOutboundMessage(lead.id(), fromNumber(recent, lead), lead.address(),
                body, MessageStatus.PENDING, null, SmsSegments.count(body), null, now));
        Duration followUpAfter = config.replies().followUpAfter();
        Message sent = outbox.send(pending, lead, followUpAfter);
        if (!followUpAfter.isZero()) {
            followUpScheduled.accept(sent.sentAt().plus(followUpAfter));
        }
        metrics.replySent("staff");
        takeOver(lead);
        return sent;
    }

    /**
     * The number the lead last texted when it is one of the business's, so staff answer from the same
     * number; for a lead who never texted (a caller), the number the business last texted them from (the missed-call
     * text goes out from the number called); else the default number ({@link FrontDeskConfig#replyFromNumber}); on the
     * lead's channel.
     */
    private String fromNumber(List<Message> recent, Lead lead) {
        String lastFrom = null;
        for (int i = recent.size() - 1; i >= 0; i--) {
            Message m = recent.get(i);
            if (m.direction() == Direction.INBOUND && m.to() != null) {
                return config.replyFromAddress(m.to(), lead.channel());
            }
            if (lastFrom == null && m.direction() == Direction.OUTBOUND && m.from() != null) {
                lastFrom = m.from();
            }
        }
        return config.replyFromAddress(lastFrom, lead.channel());
    }

    /** Whether the lead called (and nobody answered) in the last day: "just called" counts as texting now. */
    private boolean calledWithinDay(Lead lead, Instant now) {
        return lead.channel() == Channel.SMS && repository.leads().lastMissedCallAt(lead.id())
                .filter(at -> !at.isBefore(now.minus(CustomerWindow.DAY))).isPresent();
    }

    /** Staff texted the lead by hand: the AI stays out of the conversation for HUMAN_TAKEOVER_MINUTES. */
    private void takeOver(Lead lead) {
        if (config.replies().humanTakeoverMinutes() <= 0) {
            return;
        }
        Lead after = repository.leads().pauseAiUntil(lead.id(), clock.instant().plus(Duration.ofMinutes(config.replies().humanTakeoverMinutes())));
        log.info("🙋 Staff took over lead {}: AI paused {}", lead.id(),
                after.aiPausedUntil() == null ? "until handed back" : "until " + after.aiPausedUntil());
    }
}
