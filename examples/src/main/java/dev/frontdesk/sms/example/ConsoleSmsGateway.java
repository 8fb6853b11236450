package dev.frontdesk.sms.example;

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
 * An {@link SmsGateway} for running without Twilio credentials: it sends nothing, logs each message
 * (recipient masked, body cut short) and answers with status {@code simulated} and a fresh
 * Twilio-shaped SID ({@code SM} + 32 hex digits), so the rest of the app behaves as with Twilio.
 * Every number counts as verified, since nothing reaches a phone. Thread-safe.
 */
final class ConsoleSmsGateway implements SmsGateway {
    private static final Logger log = LoggerFactory.getLogger(ConsoleSmsGateway.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String defaultFrom;

    /** @param defaultFrom the number shown as sender when a message names none (may be null) */
    ConsoleSmsGateway(String defaultFrom) {
        this.defaultFrom = defaultFrom;
    }

    @Override
    public SendResult send(OutboundSms sms) {
        String sid = newSid();
        String from = sms.from() != null ? sms.from() : defaultFrom;
        log.info("📤 [console] SMS not really sent (no Twilio credentials): to: {}, body: {}, sid: {}",
                sms.to().masked(), LogSafe.body(sms.body()), sid);
        return new SendResult(sid, MessageStatus.SIMULATED, SmsSegments.count(sms.body()), from);
    }

    @Override
    public boolean isVerified(PhoneNumber number) {
        return true;
    }

    /** A Twilio-shaped message SID: {@code SM} and 32 lower-case hex digits. */
    static String newSid() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "SM" + HexFormat.of().formatHex(bytes);
    }
}
