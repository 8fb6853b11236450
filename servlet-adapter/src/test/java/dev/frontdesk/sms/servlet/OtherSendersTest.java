package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LogCapture;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.servlet.StoreKind.Served;
import dev.frontdesk.sms.servlet.StoreKind.Snapshot;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every sender Twilio delivers is acknowledged: short codes, alphanumeric sender IDs, WhatsApp senders without a
 * phone number and other channels get 200 and empty TwiML, are stored once per MessageSid, never answered, and never
 * merged into an SMS lead ({@code whatsapp:+1555...} is a WhatsApp lead: {@link WhatsAppWebhookTest}). Signed webhooks over real HTTP into Jetty, on the in-memory store, H2 and PostgreSQL.
 */
class OtherSendersTest {
    static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
    static final List<String> SENDERS = List.of("72975", "ACMEBANK", "whatsapp:US.1234", "messenger:1234567890");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void shortCodesSenderIdsAndWhatsAppSendersAreAcknowledgedStoredOnceAndNeverAnswered(StoreKind kind) throws Exception {
        try (Served s = kind.serve(); LogCapture logs = LogCapture.start()) {
            // The SMS customer whose number the WhatsApp sender shares: one text, one reply.
            assertThat(s.server.text(CUSTOMER, "Hi, by SMS").statusCode()).isEqualTo(200);
            s.server.drainReplies();
            Snapshot before = s.snapshot();
            assertThat(before.sent()).isEqualTo(1);

            for (int i = 0; i < SENDERS.size(); i++) {
                Map<String, String> p = s.server.inboundParams(s.server.nextSid(), SENDERS.get(i), "Your code is 12345" + i);
                for (int delivery = 0; delivery < 2; delivery++) {
                    HttpResponse<String> r = s.server.webhook(FrontDeskConfig.INBOUND_PATH, p);
                    assertThat(r.statusCode()).as(SENDERS.get(i) + " delivery " + delivery).isEqualTo(200);
                    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml");
                    assertThat(r.body()).isEqualTo(EMPTY_TWIML);
                }
            }
            s.server.drainReplies();

            List<OtherSenderMessage> stored = s.server.store.messages().otherSenderMessages(10);
            assertThat(stored).as("each stored once").extracting(m -> m.sender().address())
                    .containsExactly("messenger:1234567890", "whatsapp:US.1234", "ACMEBANK", "72975");
            assertThat(stored).allSatisfy(m -> assertThat(m.leadId()).isNull());
            assertThat(s.snapshot()).as("no lead, no message merged into the SMS lead, no reply job, nothing sent").isEqualTo(before);
            assertThat(s.server.gateway.sent).hasSize(1);
            assertThat(json(s.server.get("/api/leads")).get("leads")).hasSize(1);

            assertThat(logs.text()).contains("from: 72975", "from: ACMEBANK", "from: whatsapp:US***", "from: messenger:12***")
                    .doesNotContain("1234567890");
            assertThat(s.server.meters.get("frontdesk.inbound.other_senders").tag("kind", "channel").counter().count()).isEqualTo(2);
        }
    }

    @Test
    void aFromThatIsNoSenderTwilioHasIsRefusedWithAClearAnswer() throws Exception {
        try (Served s = StoreKind.MEMORY.serve()) {
            Snapshot before = s.snapshot();
            for (String forged : List.of("not a sender!", "ACME-BANK-LTD", "12", "whatsapp:")) {
                var error = assertError(s.server.webhook(FrontDeskConfig.INBOUND_PATH,
                        s.server.inboundParams(s.server.nextSid(), forged, "hi")), 400, "invalid_phone_number");
                assertThat(error.get("message").asText()).as(forged).contains("short code", "alphanumeric sender ID", "whatsapp:");
            }
            assertThat(s.snapshot()).isEqualTo(before);
            assertThat(s.server.store.messages().otherSenderMessages(10)).isEmpty();
        }
    }
}
