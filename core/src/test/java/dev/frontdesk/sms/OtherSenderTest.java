package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.twilio.TwilioWebhooks;
import org.junit.jupiter.api.Test;

class OtherSenderTest {

    @Test
    void shortCodesSenderIdsAndChannelAddressesAreOtherSenders() {
        assertThat(OtherSender.of("72975")).hasValueSatisfying(s -> {
            assertThat(s.kind()).isEqualTo(OtherSender.Kind.SHORT_CODE);
            assertThat(s.channel()).isEqualTo("sms");
        });
        assertThat(OtherSender.of("ACMEBANK").orElseThrow().kind()).isEqualTo(OtherSender.Kind.ALPHANUMERIC);
        assertThat(OtherSender.of("Acme Bank 1").orElseThrow().kind()).isEqualTo(OtherSender.Kind.ALPHANUMERIC);
        assertThat(OtherSender.of("whatsapp:US.1234")).hasValueSatisfying(s -> {
            assertThat(s.kind()).isEqualTo(OtherSender.Kind.CHANNEL);
            assertThat(s.channel()).isEqualTo("whatsapp");
            assertThat(s.phoneNumber()).isNull();
            assertThat(s.masked()).isEqualTo("whatsapp:US***");
        });
        assertThat(OtherSender.of("WhatsApp:+15551234567")).hasValueSatisfying(s -> {
            assertThat(s.channel()).isEqualTo("whatsapp");
            assertThat(s.phoneNumber()).isEqualTo(new PhoneNumber("+15551234567"));
            assertThat(s.masked()).isEqualTo("whatsapp:+1555***4567").doesNotContain("1234567");
        });
        assertThat(OtherSender.of("messenger:1234567890").orElseThrow().channel()).isEqualTo("messenger");
    }

    @Test
    void phoneNumbersAndGarbageAreNotOtherSenders() {
        assertThat(OtherSender.of("+15551234567")).isEmpty();
        assertThat(OtherSender.of("5551234567")).as("a number without its country code").isEmpty();
        assertThat(OtherSender.of("(555) 123-4567")).isEmpty();
        assertThat(OtherSender.of("12")).as("too short for a short code").isEmpty();
        assertThat(OtherSender.of("ACMEBANKLTD1")).as("12 characters: too long for a sender ID").isEmpty();
        assertThat(OtherSender.of("not-a-number")).isEmpty();
        assertThat(OtherSender.of("whatsapp:")).isEmpty();
        assertThat(OtherSender.of(null)).isEmpty();
    }

    @Test
    void aWhatsAppNumberIsTheWhatsAppLeadOfThatNumberAndNotAnUnansweredSender() {
        assertThat(TwilioWebhooks.unansweredSender("whatsapp:+15551234567")).isEmpty();
        assertThat(TwilioWebhooks.unansweredSender("whatsapp:US.1234")).isPresent();
        assertThat(TwilioWebhooks.unansweredSender("messenger:1234567890")).isPresent();
        assertThat(TwilioWebhooks.unansweredSender("72975")).isPresent();
        InboundSms sms = TwilioWebhooks.inboundSms(java.util.Map.of("MessageSid", TestSids.sms("1"),
                "From", "whatsapp:+15551234567", "To", "whatsapp:+15550001111", "Body", "hola"), "US");
        assertThat(sms.channel()).isEqualTo(Channel.WHATSAPP);
        assertThat(sms.from()).isEqualTo(new PhoneNumber("+15551234567"));
        assertThat(sms.fromAddress()).isEqualTo("whatsapp:+15551234567");
        assertThat(sms.to()).isEqualTo("whatsapp:+15550001111");
        assertThat(TwilioWebhooks.inboundSms(java.util.Map.of("MessageSid", TestSids.sms("2"), "From", "+15551234567"), "US")
                .channel()).isEqualTo(Channel.SMS);
    }

    @Test
    void anInboundSmsRefusesAnOtherSenderAndExplainsAGarbageFrom() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TwilioWebhooks.inboundSms(
                java.util.Map.of("MessageSid", TestSids.sms("1"), "From", "whatsapp:US.1234"), "US"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a phone number");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TwilioWebhooks.inboundSms(
                java.util.Map.of("MessageSid", TestSids.sms("1"), "From", "not a sender!"), "US"))
                .isInstanceOf(InvalidPhoneNumberException.class).hasMessageContaining("short code", "alphanumeric sender ID");
    }
}
