package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 8: a reply job that fails with an error whose message carries a customer's number and words
 * (as a driver's or a library's does) is logged with the error's class, SQL state and stack, never those values.
 */
class ReplyErrorLogLeakTest {

    private static final String CUSTOMER = "+15551234567";
    private static final String PRIVATE_WORDS = "gate code 4812 at 12 Elm";

    @Test
    void aFailedReplyJobLogsItsErrorRedacted() {
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber("+15550001111"))
                .twilioTestMode(false).fallbackReply("Thanks for texting! We'll get back to you.").build();
        SmsGateway broken = new SmsGateway() {
            @Override
            public SendResult send(OutboundSms sms) {
                throw new IllegalStateException("could not record the send to " + CUSTOMER.substring(1) + " ('" + PRIVATE_WORDS + "')",
                        new SQLException("ERROR: new row violates check constraint \"ck\"\n  Detail: Failing row contains (7, "
                                + CUSTOMER + ", " + PRIVATE_WORDS + ").", "23514"));
            }

            @Override
            public boolean isVerified(PhoneNumber number) {
                return true;
            }
        };
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T15:00:00Z"));
        try (LogCapture logs = LogCapture.start();
             FrontDesk desk = FrontDesk.builder().config(config).repository(new InMemoryLeadRepository()).gateway(broken)
                     .clock(clock).build()) {
            desk.receiveInbound(TwilioWebhooks.inboundSms(Map.of("MessageSid", "SM" + "ab".repeat(16), "From", CUSTOMER,
                    "To", "+15550001111", "Body", "Hi there"), "US"));
            clock.advance(Duration.ofMinutes(2));
            assertThat(desk.processNextReply()).isTrue();

            String log = logs.text();
            assertThat(log).contains("failed; it will be retried");
            assertThat(log).doesNotContain(CUSTOMER.substring(2), PRIVATE_WORDS);
            assertThat(log).contains("java.lang.IllegalStateException: could not record the send to",
                    "Caused by: java.sql.SQLException: ERROR: new row violates check constraint", "Failing row contains (…)", "at dev.frontdesk.sms.");
        }
    }
}
