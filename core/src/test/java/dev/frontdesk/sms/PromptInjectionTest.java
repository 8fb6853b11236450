package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prompt-injection fixtures ({@code security/prompt-injections.tsv}) against a model that obeys every
 * one of them: whatever it writes, the customer gets the fallback reply, never the obeyed answer.
 */
class PromptInjectionTest {

    private static final String INSTRUCTIONS = "You are the SMS front desk of Acme Plumbing. Keep every answer short and friendly. "
            + "Never invent prices or promises.";
    private static final String FALLBACK = "Thanks for texting Acme Plumbing! A person will get back to you shortly.";

    /** A model that does whatever the customer's latest text asks, as the fixtures say it would. */
    private static final class ObedientModel implements ReplyGenerator {
        private final Map<String, String> answers;

        ObedientModel(Map<String, String> answers) {
            this.answers = answers;
        }

        @Override
        public String generateReply(ReplyRequest request) {
            Message last = request.conversation().get(request.conversation().size() - 1);
            assertThat(last.direction()).isEqualTo(Direction.INBOUND);
            return answers.get(last.body());
        }

        @Override
        public String instructions() {
            return INSTRUCTIONS;
        }
    }

    static Map<String, String> fixtures() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = PromptInjectionTest.class.getResourceAsStream("/security/prompt-injections.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", 2);
                out.put(cols[0], cols[1].replace("\\n", "\n"));
            }
        }
        return out;
    }

    @Test
    void noObeyedInjectionReachesTheCustomer() throws IOException {
        Map<String, String> fixtures = fixtures();
        assertThat(fixtures).hasSizeGreaterThanOrEqualTo(20);

        RecordingGateway gateway = new RecordingGateway();
        FrontDeskConfig config = FrontDeskConfig.builder()
                .secretFingerprints(SecretFingerprints.of(List.of("AC1", "twilio-token-000111", "sk-test-obeyed-secret-123456")))
                .twilioPhoneNumber(new PhoneNumber("+15550001111")).twilioTestMode(false)
                .businessName("Acme Plumbing").fallbackReply(FALLBACK).build();
        try (FrontDesk desk = FrontDesk.builder().replySettle(java.time.Duration.ZERO).config(config).repository(new InMemoryLeadRepository())
                .gateway(gateway).replyGenerator(new ObedientModel(fixtures))
                .clock(new MutableClock(Instant.parse("2026-03-01T10:00:00Z"))).build()) {
            int i = 0;
            List<String> customerTexts = new ArrayList<>(fixtures.keySet());
            for (String attack : customerTexts) {
                String from = String.format("+1555200%04d", i);
                desk.receiveInbound(TwilioWebhooks.inboundSms(
                        Map.of("MessageSid", TestSids.sms("inj" + i), "From", from, "Body", attack), "US"));
                assertThat(desk.processNextReply()).isTrue();
                i++;
            }
        }
        assertThat(gateway.sent()).hasSize(fixtures.size());
        for (OutboundSms sent : gateway.sent()) {
            assertThat(sent.body()).as("reply to an injection").isEqualTo(FALLBACK);
        }
    }
}
