package dev.frontdesk.sms.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.InvalidRequestException;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.StatusUpdate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Twilio's form fields into the value types; InboundSmsTest and OtherSenderTest cover the rest of the reading. */
class TwilioWebhooksTest {
    private static final String SID = "SM0123456789abcdef0123456789abcdef";

    @Test
    void eachSidFieldIsNamedWhenMalformedOrDisagreeing() {
        assertThatThrownBy(() -> TwilioWebhooks.inboundSms(Map.of("MessageSid", SID, "SmsSid", "SMnope", "From", "+15551234567"), "US"))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("SmsSid is not a Twilio message SID");
        assertThatThrownBy(() -> TwilioWebhooks.statusUpdate(Map.of("MessageSid", SID, "SmsSid", "SM" + "f".repeat(32),
                "MessageStatus", "sent"))).isInstanceOf(InvalidRequestException.class)
                .hasMessage("SmsSid and MessageSid name different messages; Twilio sends the same SID in both.");
        assertThatThrownBy(() -> TwilioWebhooks.inboundSms(Map.of("MessageSid", SID, "From", "+15551234567", "NumMedia", "-1"), "US"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("NumMedia must be a whole number");
    }

    @Test
    void aTextFromAnOtherSenderIsReadWithItsMediaCount() {
        OtherSender sender = OtherSender.of("72975").orElseThrow();
        OtherSenderMessage m = TwilioWebhooks.otherSenderMessage(Map.of("SmsMessageSid", SID, "From", "72975", "To", "+15550001111",
                "Body", "Your code is 1234", "NumMedia", "1"), sender);
        assertThat(m.twilioSid()).isEqualTo(SID);
        assertThat(m.to()).isEqualTo("+15550001111");
        assertThat(m.numMedia()).isEqualTo(1);
        assertThat(m.id()).isNull();
    }

    @Test
    void theValueTypesStillCheckTheirOwnInvariants() {
        assertThatThrownBy(() -> new StatusUpdate("SMshort", dev.frontdesk.sms.MessageStatus.SENT, null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("MessageSid");
        assertThatThrownBy(() -> new InboundSms("MM1", null, null, PhoneNumber.parse("+15551234567", "US"), null, "hi", null, null,
                null, null)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("MessageSid");
    }
}
