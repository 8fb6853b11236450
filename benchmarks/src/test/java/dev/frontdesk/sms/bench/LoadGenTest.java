package dev.frontdesk.sms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A smoke test only: the benchmarks themselves run from benchmarks/run.sh, never in the build. */
class LoadGenTest {

    @Test
    void everyPreSignedRequestHasItsOwnMessageSidAndAValidSignature() {
        LoadGen.Requests reqs = LoadGen.sign(3001, "/api/twilio/sms/inbound", "token", 50);
        Set<String> sids = new HashSet<>(List.of(reqs.sids));
        assertThat(sids).hasSize(50).allMatch(s -> dev.frontdesk.sms.InboundSms.MESSAGE_SID.matcher(s).matches());
        String first = new String(reqs.bytes[0], StandardCharsets.UTF_8);
        assertThat(first).startsWith("POST /api/twilio/sms/inbound HTTP/1.1\r\n").contains("X-Twilio-Signature: ")
                .contains("MessageSid=" + reqs.sids[0]);
        String signature = first.lines().filter(l -> l.startsWith("X-Twilio-Signature: ")).findFirst().orElseThrow().substring(20);
        String body = first.substring(first.indexOf("\r\n\r\n") + 4);
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(new TwilioSignatures("token").isValid("http://localhost:3001/api/twilio/sms/inbound", params, signature)).isTrue();
    }

    @Test
    void statisticsAreMedianAndSpread() {
        assertThat(Suite.spreadD(List.of(3.0, 1.0, 2.0), 1)).isEqualTo("2.0 (1.0–3.0)");
        assertThat(Suite.pct(List.of(1.0, 2.0, 3.0, 4.0), 50)).isEqualTo(2.0);
    }
}
