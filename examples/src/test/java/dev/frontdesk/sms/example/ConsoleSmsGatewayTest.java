package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import org.junit.jupiter.api.Test;

class ConsoleSmsGatewayTest {

    @Test
    void sendsNothingAndSaysSoWithStatusSimulatedAndATwilioShapedSid() {
        ConsoleSmsGateway gateway = new ConsoleSmsGateway("+15550001111");
        SendResult a = gateway.send(new OutboundSms(PhoneNumber.parse("+15551234567"), "Hello there", null, null));
        SendResult b = gateway.send(new OutboundSms(PhoneNumber.parse("+15551234567"), "Hello again", "+15550002222", null));
        assertThat(a.status()).isEqualTo(MessageStatus.SIMULATED);
        assertThat(a.sid()).matches("SM[0-9a-f]{32}");
        assertThat(b.sid()).isNotEqualTo(a.sid());
        assertThat(a.from()).isEqualTo("+15550001111");
        assertThat(b.from()).isEqualTo("+15550002222");
        assertThat(a.numSegments()).isEqualTo(1);
    }

    @Test
    void everyNumberCountsAsVerifiedBecauseNothingReachesAPhone() {
        assertThat(new ConsoleSmsGateway(null).isVerified(PhoneNumber.parse("+15559876543"))).isTrue();
    }
}
