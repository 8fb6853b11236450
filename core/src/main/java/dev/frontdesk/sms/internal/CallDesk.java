package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.InboundCall;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.MissedCallResult;
import dev.frontdesk.sms.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to the business: forwarded to {@code OWNER_PHONE_NUMBER} when one is set; a call nobody answered (or that
 * could not be forwarded) makes the caller a lead and enqueues one missed-call text, written later by the reply
 * worker like any reply. Nothing slow happens on the webhook's thread. Thread-safe.
 */
public final class CallDesk {
    private static final Logger log = LoggerFactory.getLogger(CallDesk.class);

    private final FrontDeskConfig config;
    private final LeadRepository repository;
    private final Clock clock;
    private final Consumer<Instant> wakeWorkerAt;

    public CallDesk(FrontDeskConfig config, LeadRepository repository, Clock clock, Consumer<Instant> wakeWorkerAt) {
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wakeWorkerAt = Objects.requireNonNull(wakeWorkerAt, "wakeWorkerAt");
    }

    /** The number to forward the call to; empty when there is none, and then the caller is texted at once. */
    public Optional<PhoneNumber> receive(InboundCall call) {
        Objects.requireNonNull(call, "call");
        PhoneNumber owner = config.twilio().ownerPhoneNumber();
        log.info("📞 Incoming call {} from: {}{}", call.callSid(), masked(call),
                owner == null ? " (no OWNER_PHONE_NUMBER: not forwarded)" : ", forwarded to " + owner.masked());
        if (owner == null) {
            missed(call);
            return Optional.empty();
        }
        return Optional.of(owner);
    }

    /** The forwarded call ended; a missed one ({@link InboundCall#missed()}) gets its text. Whether a text was enqueued. */
    public boolean dialed(InboundCall call) {
        Objects.requireNonNull(call, "call");
        if (!call.missed()) {
            log.info("📞 Call {} from {} ended: {}", call.callSid(), masked(call), call.dialCallStatus());
            return false;
        }
        log.info("📞 Missed call {} from {} ({})", call.callSid(), masked(call), call.dialCallStatus());
        return missed(call);
    }

    private boolean missed(InboundCall call) {
        if (call.from() == null) {
            log.info("📞 Call {} has no caller number to text back", call.callSid());
            return false;
        }
        if (call.from().equals(config.twilio().ownerPhoneNumber()) || call.from().equals(config.twilio().phoneNumber())) {
            return false; // the business calling itself
        }
        Instant now = clock.instant();
        MissedCallResult result = repository.recordMissedCall(call.from(), call.to(), call.callSid(), now);
        if (result.duplicate()) {
            log.info("📞 Repeated callback for call {} ignored", call.callSid());
            return false;
        }
        if (result.replyJobId() == null) {
            log.info("📞 Lead {} opted out of texts; no missed-call text", result.lead().id());
            return false;
        }
        wakeWorkerAt.accept(now);
        return true;
    }

    private static String masked(InboundCall call) {
        return call.from() == null ? "an unknown number" : call.from().masked();
    }
}
