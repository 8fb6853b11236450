package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundSmsTest {

    private static Map<String, String> webhook() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ToCountry", "US");
        p.put("SmsMessageSid", "SM7e571be2e452b46d7a0d9656bbb1f768");
        p.put("NumMedia", "2");
        p.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1");
        p.put("MediaContentType0", "image/jpeg");
        p.put("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2");
        p.put("MediaContentType1", "image/png");
        p.put("SmsSid", "SM7e571be2e452b46d7a0d9656bbb1f768");
        p.put("SmsStatus", "received");
        p.put("Body", "Hi, I need help with my plumbing issue");
        p.put("To", "+15550001111");
        p.put("NumSegments", "1");
        p.put("MessageSid", "SM7e571be2e452b46d7a0d9656bbb1f768");
        p.put("AccountSid", "AC1");
        p.put("MessagingServiceSid", "MG9");
        p.put("From", "+15551234567");
        p.put("ApiVersion", "2010-04-01");
        return p;
    }

    @Test
    void everyParameterIsKept() {
        InboundSms sms = TwilioWebhooks.inboundSms(webhook(), "US");
        assertThat(sms.messageSid()).isEqualTo("SM7e571be2e452b46d7a0d9656bbb1f768");
        assertThat(sms.accountSid()).isEqualTo("AC1");
        assertThat(sms.messagingServiceSid()).isEqualTo("MG9");
        assertThat(sms.from().value()).isEqualTo("+15551234567");
        assertThat(sms.to()).isEqualTo("+15550001111");
        assertThat(sms.body()).isEqualTo("Hi, I need help with my plumbing issue");
        assertThat(sms.numSegments()).isEqualTo(1);
        assertThat(sms.media()).containsExactly(
                new MediaItem("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "image/jpeg"),
                new MediaItem("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2", "image/png"));
        assertThat(sms.optOutType()).isNull();
        assertThat(sms.parameters()).containsAllEntriesOf(webhook()).hasSize(webhook().size());
    }

    @Test
    void optOutTypeIsRead() {
        Map<String, String> p = webhook();
        p.put("OptOutType", "STOP");
        assertThat(TwilioWebhooks.inboundSms(p, "US").optOutType()).isEqualTo("STOP");
    }

    @Test
    void missingFieldsAreClearErrors() {
        Map<String, String> noFrom = webhook();
        noFrom.remove("From");
        assertThatThrownBy(() -> TwilioWebhooks.inboundSms(noFrom, "US"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("From");

        Map<String, String> noSid = webhook();
        noSid.remove("MessageSid");
        noSid.remove("SmsMessageSid");
        noSid.remove("SmsSid");
        assertThatThrownBy(() -> TwilioWebhooks.inboundSms(noSid, "US"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("MessageSid");

        Map<String, String> badMedia = webhook();
        badMedia.put("NumMedia", "two");
        assertThatThrownBy(() -> TwilioWebhooks.inboundSms(badMedia, "US"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("NumMedia");

        Map<String, String> badFrom = webhook();
        badFrom.put("From", "not-a-number");
        assertThatThrownBy(() -> TwilioWebhooks.inboundSms(badFrom, "US"))
                .isInstanceOf(InvalidPhoneNumberException.class);
    }

    @Test
    void aPictureWithoutTextHasAnEmptyBody() {
        Map<String, String> p = webhook();
        p.remove("Body");
        assertThat(TwilioWebhooks.inboundSms(p, "US").body()).isEmpty();
    }

    @Test
    void statusCallbacksAreRead() {
        StatusUpdate u = TwilioWebhooks.statusUpdate(Map.of("MessageSid", "SM7e570000000000000000000000000001", "MessageStatus", "undelivered", "ErrorCode", "30003"));
        assertThat(u).isEqualTo(new StatusUpdate("SM7e570000000000000000000000000001", MessageStatus.UNDELIVERED, "30003"));
        assertThat(TwilioWebhooks.statusUpdate(Map.of("SmsSid", "SM7e570000000000000000000000000002", "SmsStatus", "sent")).status()).isEqualTo(MessageStatus.SENT);
        assertThat(new StatusUpdate("SM7e570000000000000000000000000003", MessageStatus.FAILED, "21610").recipientOptedOut()).isTrue();
        assertThatThrownBy(() -> TwilioWebhooks.statusUpdate(Map.of("MessageStatus", "sent")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("MessageSid");
        assertThatThrownBy(() -> TwilioWebhooks.statusUpdate(Map.of("MessageSid", "SM7e570000000000000000000000000001")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("MessageStatus");
    }
}
