package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InboundWebhookTest {
    static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Lead lead() {
        return server.memory.leads().findLeadByPhone(new PhoneNumber(CUSTOMER)).orElseThrow();
    }

    @Test
    void signedInboundIsStoredAndAnsweredWithEmptyTwimlAsTextXml() {
        HttpResponse<String> r = server.webhook(FrontDeskConfig.INBOUND_PATH, server.inboundParams("SM7e570000000000000000000000000001", CUSTOMER, "My sink is leaking"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml");
        assertThat(r.body()).isEqualTo(EMPTY_TWIML);
        Lead lead = lead();
        assertThat(lead.source()).isEqualTo("sms");
        List<Message> history = server.memory.messages().history(lead.id(), 10);
        assertThat(history).singleElement().satisfies(m -> {
            assertThat(m.twilioSid()).isEqualTo("SM7e570000000000000000000000000001");
            assertThat(m.direction()).isEqualTo(Direction.INBOUND);
            assertThat(m.body()).isEqualTo("My sink is leaking");
            assertThat(m.to()).isEqualTo(TestServer.BUSINESS_NUMBER);
        });
        assertThat(server.memory.replyQueue().pendingCount()).isEqualTo(1);
        assertThat(server.gateway.sent).as("no Twilio call on the request thread").isEmpty();
    }

    @Test
    void repeatedMessageSidAnswers200AndStoresNothingNew() {
        Map<String, String> params = server.inboundParams("SM7e5725e2b6b106523880e27763084ffa", CUSTOMER, "Hello?");
        assertThat(server.webhook(FrontDeskConfig.INBOUND_PATH, params).statusCode()).isEqualTo(200);

        HttpResponse<String> again = server.webhook(FrontDeskConfig.INBOUND_PATH, params);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(EMPTY_TWIML);
        assertThat(server.memory.messages().history(lead().id(), 10)).hasSize(1);
        assertThat(server.memory.replyQueue().pendingCount()).isEqualTo(1);
        assertThat(server.memory.leads().listLeads(10)).hasSize(1);
    }

    @Test
    void missingFromOrMessageSidIs400() {
        Map<String, String> noFrom = new java.util.LinkedHashMap<>(server.inboundParams("SM7e570000000000000000000000000002", CUSTOMER, "hi"));
        noFrom.remove("From");
        assertError(server.webhook(FrontDeskConfig.INBOUND_PATH, noFrom), 400, "invalid_request");

        Map<String, String> noSid = new java.util.LinkedHashMap<>(server.inboundParams("SM7e570000000000000000000000000003", CUSTOMER, "hi"));
        noSid.remove("MessageSid");
        noSid.remove("SmsMessageSid");
        assertError(server.webhook(FrontDeskConfig.INBOUND_PATH, noSid), 400, "invalid_request");

        assertThat(server.memory.leads().listLeads(10)).isEmpty();
    }

    @Test
    void senderThatIsNoPhoneNumberIs400() {
        assertError(server.webhook(FrontDeskConfig.INBOUND_PATH, server.inboundParams("SM7e570000000000000000000000000004", "not-a-number", "hi")),
                400, "invalid_phone_number");
    }

    @Test
    void storeDownAnswers503AndRecoversWhenTheStoreReturns() {
        server.repository.down = true;
        HttpResponse<String> down = server.text(CUSTOMER, "Anyone there?");
        assertError(down, 503, "unavailable");
        assertThat(down.body()).doesNotContain("db.internal");

        server.repository.down = false;
        HttpResponse<String> back = server.text(CUSTOMER, "Anyone there?");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(EMPTY_TWIML);
    }

    @Test
    void helpKeywordIsAnsweredWithTheConfiguredHelpTextInTwiml() throws Exception {
        try (TestServer helpful = new TestServer(c -> c.helpReply("Ace Plumbing: call 555-0100 <24/7> & reply STOP to opt out."),
                s -> s, "/*")) {
            HttpResponse<String> r = helpful.text(CUSTOMER, "HELP");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml");
            assertThat(r.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
                    + "Ace Plumbing: call 555-0100 &lt;24/7&gt; &amp; reply STOP to opt out.</Message></Response>");
        }
        assertThat(server.text(CUSTOMER, "HELP").body()).as("no help text configured: Twilio answers HELP").isEqualTo(EMPTY_TWIML);
    }

    @Test
    void wrongContentTypeIs415() {
        String body = "{\"From\":\"" + CUSTOMER + "\"}";
        HttpResponse<String> r = server.send(java.net.http.HttpRequest.newBuilder(server.local(FrontDeskConfig.INBOUND_PATH))
                .header("Content-Type", "application/json")
                .header("X-Twilio-Signature", TwilioSignatures.sign(TestServer.TOKEN, TestServer.PUBLIC_BASE + FrontDeskConfig.INBOUND_PATH, Map.of()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        assertError(r, 415, "unsupported_media_type");
    }

    @Test
    void bodyOverTheWebhookCapIs413AndNothingIsStored() throws Exception {
        try (TestServer small = new TestServer(c -> c, s -> s.maxWebhookBytes(2048), "/*")) {
            Map<String, String> params = small.inboundParams("SM7e572a21fe6d592a19b7de898b50eb53", CUSTOMER, "x".repeat(3000));
            assertError(small.webhook(FrontDeskConfig.INBOUND_PATH, params), 413, "payload_too_large");
            assertThat(small.memory.leads().listLeads(10)).isEmpty();

            assertThat(small.text(CUSTOMER, "x".repeat(1500)).statusCode()).as("under the cap").isEqualTo(200);
        }
    }

    @Test
    void malformedFormIs400() {
        String body = "MessageSid=SM9&From=%2B1555%ZZ";
        assertError(server.postForm(FrontDeskConfig.INBOUND_PATH, body, "c2lnbmF0dXJl"), 400, "invalid_request");
        assertThat(server.memory.leads().listLeads(10)).isEmpty();
    }

    @Test
    void getOnTheWebhookIs405WithAllow() {
        HttpResponse<String> r = server.get(FrontDeskConfig.INBOUND_PATH);
        assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }
}
