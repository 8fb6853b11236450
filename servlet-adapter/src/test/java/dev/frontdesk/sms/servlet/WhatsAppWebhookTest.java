package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.BUSINESS_NUMBER;
import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.servlet.StoreKind.Served;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * WhatsApp through Twilio over real HTTP into Jetty, on the in-memory store, H2 and PostgreSQL: a signed webhook from
 * {@code whatsapp:+1555...} makes the number's WhatsApp lead (apart from its SMS lead), the reply goes back on WhatsApp
 * from the {@code whatsapp:} number written to, staff texts go out on WhatsApp inside the 24-hour window and get 409
 * {@code outside_window} after it.
 */
class WhatsAppWebhookTest {

    private static Map<String, String> whatsApp(Served s, String body) {
        Map<String, String> p = s.server.inboundParams(s.server.nextSid(), "whatsapp:" + CUSTOMER, body);
        p.put("To", "whatsapp:" + BUSINESS_NUMBER);
        return p;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aWhatsAppMessageIsTheWhatsAppLeadOfTheNumberAndIsAnsweredOnWhatsApp(StoreKind kind) throws Exception {
        try (Served s = kind.serve()) {
            assertThat(s.server.text(CUSTOMER, "Hi, by SMS").statusCode()).isEqualTo(200);
            s.server.drainReplies();
            HttpResponse<String> r = s.server.webhook(FrontDeskConfig.INBOUND_PATH, whatsApp(s, "Hola, por WhatsApp"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(OtherSendersTest.EMPTY_TWIML);
            s.server.drainReplies();

            assertThat(s.server.gateway.sent).hasSize(2);
            OutboundSms reply = s.server.gateway.sent.get(1);
            assertThat(reply.channel()).isEqualTo(Channel.WHATSAPP);
            assertThat(reply.to().value()).isEqualTo(CUSTOMER);
            assertThat(reply.from()).isEqualTo("whatsapp:" + BUSINESS_NUMBER);
            assertThat(s.server.gateway.sent.get(0).channel()).isEqualTo(Channel.SMS);

            JsonNode leads = json(s.server.get("/api/leads?phone=" + URLEncoder.encode(CUSTOMER, StandardCharsets.UTF_8))).get("leads");
            assertThat(leads).hasSize(2);
            JsonNode wa = leads.get(0);
            assertThat(wa.get("channel").asText()).isEqualTo("whatsapp");
            assertThat(wa.get("source").asText()).isEqualTo("whatsapp");
            assertThat(wa.get("phoneNumber").asText()).isEqualTo(CUSTOMER);
            assertThat(wa.get("lastMessage").get("to").asText()).isEqualTo("whatsapp:" + CUSTOMER);
            assertThat(leads.get(1).get("channel").asText()).isEqualTo("sms");
            assertThat(json(s.server.get("/api/leads?q=4567")).get("leads")).hasSize(2);

            long id = wa.get("id").asLong();
            JsonNode conversation = json(s.server.get("/api/leads/" + id + "/sms")).get("messages");
            assertThat(conversation).extracting(m -> m.get("from").asText())
                    .containsExactly("whatsapp:" + CUSTOMER, "whatsapp:" + BUSINESS_NUMBER);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void staffTextAWhatsAppLeadOnWhatsAppInsideTheWindowAndGet409OutsideIt(StoreKind kind) throws Exception {
        try (Served s = kind.serve()) {
            s.server.webhook(FrontDeskConfig.INBOUND_PATH, whatsApp(s, "Hola"));
            s.server.drainReplies();
            long id = json(s.server.get("/api/leads?phone=whatsapp:" + URLEncoder.encode(CUSTOMER, StandardCharsets.UTF_8)))
                    .get("leads").get(0).get("id").asLong();

            s.server.clock.advance(Duration.ofHours(23));
            HttpResponse<String> inside = s.server.postJson("/api/twilio/sms/outbound", "{\"leadId\": " + id + ", \"message\": \"We can come at 3\"}");
            assertThat(inside.statusCode()).as(inside.body()).isEqualTo(201);
            assertThat(json(inside).get("message").get("to").asText()).isEqualTo("whatsapp:" + CUSTOMER);
            assertThat(s.server.gateway.sent).last().satisfies(out -> {
                assertThat(out.channel()).isEqualTo(Channel.WHATSAPP);
                assertThat(out.from()).isEqualTo("whatsapp:" + BUSINESS_NUMBER);
            });

            s.server.clock.advance(Duration.ofHours(1).plusMinutes(1));
            int sent = s.server.gateway.sent.size();
            int stored = json(s.server.get("/api/leads/" + id + "/sms")).get("messages").size();
            JsonNode error = assertError(s.server.postJson("/api/twilio/sms/outbound",
                    "{\"leadId\": " + id + ", \"message\": \"Still there?\", \"force\": true}"), 409, "outside_window");
            assertThat(error.get("message").asText()).contains("24 hours");
            assertThat(s.server.gateway.sent).hasSize(sent);
            assertThat(json(s.server.get("/api/leads/" + id + "/sms")).get("messages")).hasSize(stored);

            // The number alone names the SMS lead, which staff may text (a new lead, source manual).
            HttpResponse<String> bySms = s.server.postJson("/api/twilio/sms/outbound",
                    "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"Texting you by SMS\", \"force\": true}");
            assertThat(bySms.statusCode()).as(bySms.body()).isEqualTo(201);
            assertThat(json(bySms).get("message").get("leadId").asLong()).isNotEqualTo(id);
            assertThat(s.server.gateway.sent).last().extracting(OutboundSms::channel).isEqualTo(Channel.SMS);
        }
    }
}
