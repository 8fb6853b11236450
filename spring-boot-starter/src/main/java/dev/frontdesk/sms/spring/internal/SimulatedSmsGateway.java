package dev.frontdesk.sms.spring.internal;

import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.internal.SmsSegments;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway without Twilio credentials: nothing leaves the app; each message is logged (number masked, body cut
 * short) and answered with status {@code simulated} and a Twilio-shaped SID, so leads and conversations work as with
 * Twilio. Every number counts as verified. Thread-safe.
 */
public final class SimulatedSmsGateway implements SmsGateway {
    private static final Logger log = LoggerFactory.getLogger(SimulatedSmsGateway.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String defaultFrom;

    /** @param defaultFrom the sender shown when a message names none (may be null) */
    public SimulatedSmsGateway(String defaultFrom) {
        this.defaultFrom = defaultFrom;
    }

    @Override
    public SendResult send(OutboundSms sms) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String sid = "SM" + HexFormat.of().formatHex(bytes);
        log.info("📤 [simulated] SMS not sent (no Twilio credentials): to: {}, body: {}, sid: {}",
                sms.to().masked(), LogSafe.body(sms.body()), sid);
        return new SendResult(sid, MessageStatus.SIMULATED, SmsSegments.count(sms.body()), sms.from() != null ? sms.from() : defaultFrom);
    }

    @Override
    public boolean isVerified(PhoneNumber number) {
        return true;
    }
}
