package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.SmsSendException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands recorded messages to the SMS gateway and records Twilio's answer: the SID when accepted; when refused,
 * the message as {@code failed} with Twilio's code, and the customer as opted out when Twilio says they are.
 * Thread-safe.
 */
public final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final FrontDeskConfig config;
    private final LeadRepository repository;
    private final SmsGateway gateway;
    private final FrontDeskMetrics metrics;
    private final Clock clock;

    public Outbox(FrontDeskConfig config, LeadRepository repository, SmsGateway gateway, FrontDeskMetrics metrics, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Asks the gateway to send {@code pending} to the lead; does not record anything. */
    SendResult transmit(Message pending, Lead lead) {
        return gateway.send(new OutboundSms(lead.phoneNumber(), pending.body(), pending.from(), config.statusCallbackUrl(),
                lead.channel()));
    }

    /**
     * Sends a recorded pending message and stores Twilio's SID, with the lead's follow-up due {@code followUpAfter}
     * later unless that is zero; on a refusal stores it as failed and rethrows.
     */
    Message send(Message pending, Lead lead, Duration followUpAfter) {
        try {
            SendResult result = transmit(pending, lead);
            Instant now = clock.instant();
            Message sent = repository.messages().markSent(pending.id(), result, now,
                    followUpAfter.isZero() ? null : now.plus(followUpAfter));
            log.info("✅ SMS sent successfully: {}", result.sid());
            return sent;
        } catch (SmsSendException e) {
            recordRefusal(pending, lead, e);
            throw e;
        }
    }

    /** Stores Twilio's refusal of {@code pending}; a customer who opted out with the carrier is marked opted out. */
    void recordRefusal(Message pending, Lead lead, SmsSendException e) {
        log.warn("❌ SMS to {} failed: {} (code {})", lead.phoneNumber().masked(), LogSafe.message(e.getMessage(), 300), e.storedErrorCode());
        metrics.twilioError(e.storedErrorCode() == null ? "unknown" : e.storedErrorCode());
        repository.messages().markFailed(pending.id(), MessageStatus.FAILED, e.storedErrorCode());
        if (e.recipientOptedOut()) {
            repository.leads().setOptOut(lead.id(), true, clock.instant());
        }
    }
}
