package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.InboundReceipt;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.StatusResult;
import dev.frontdesk.sms.StatusUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrives from Twilio: customers' texts (recorded with their reply job in one store call, then a worker is
 * woken; never the AI or Twilio on the webhook's thread), texts from senders that are not phone numbers (stored,
 * never answered) and delivery-status callbacks (forward only). Thread-safe.
 */
public final class InboundDesk {
    private static final Logger log = LoggerFactory.getLogger(InboundDesk.class);

    private final FrontDeskConfig config;
    private final LeadRepository repository;
    private final FrontDeskMetrics metrics;
    private final Clock clock;
    private final Duration replyDelay;
    private final Consumer<Instant> wakeWorkerAt;

    /**
     * @param replyDelay   how long after a text its reply job is due (the burst settle time)
     * @param wakeWorkerAt called after a reply job was enqueued with the time it is due, so that an idle worker starts
     *                     on it then
     */
    public InboundDesk(FrontDeskConfig config, LeadRepository repository, FrontDeskMetrics metrics, Clock clock,
            Duration replyDelay, Consumer<Instant> wakeWorkerAt) {
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.replyDelay = Objects.requireNonNull(replyDelay, "replyDelay");
        this.wakeWorkerAt = Objects.requireNonNull(wakeWorkerAt, "wakeWorkerAt");
    }

    /** Lead found or created, message stored once per MessageSid, keywords applied, reply job enqueued, a worker woken. */
    public InboundReceipt receive(InboundSms sms) {
        Objects.requireNonNull(sms, "sms");
        Keyword keyword = Keyword.detect(sms.body(), sms.optOutType());
        Instant now = clock.instant();
        InboundResult result = repository.recordInbound(sms, keyword, now, replyDelay);
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
            wakeWorkerAt.accept(now.plus(replyDelay));
        }
        Optional<String> immediate = keyword == Keyword.HELP ? Optional.ofNullable(config.replies().help()) : Optional.empty();
        return new InboundReceipt(result, keyword, immediate);
    }

    /** Stores a text from a sender that cannot take an SMS reply once per MessageSid; whether it was stored now. */
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

    /** Applies a delivery-status callback; unknown SIDs and late statuses change nothing and are not errors. */
    public StatusResult receiveStatus(StatusUpdate update) {
        StatusResult result = repository.messages().applyStatus(update, clock.instant());
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
}
