package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.BUSINESS_NUMBER;
import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.BusinessProfile;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.ReplyRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MMS in the history and the prompt; several business numbers, each answering as itself. */
class MmsAndNumbersTest {
    static final String SECOND_NUMBER = "+15550002222";
    static final String PHOTO_1 = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1";
    static final String PHOTO_2 = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME2";

    TestServer server = new TestServer(c -> c.businessProfiles(Map.of(SECOND_NUMBER,
            new BusinessProfile("Spark Electric", "Electrical repairs in Springfield", SECOND_NUMBER))), s -> s, "/*");

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void textWithPhotos(String to) {
        Map<String, String> p = server.inboundParams(server.nextSid(), CUSTOMER, "Here is the leak");
        p.put("To", to);
        p.put("NumMedia", "2");
        p.put("MediaUrl0", PHOTO_1);
        p.put("MediaContentType0", "image/jpeg");
        p.put("MediaUrl1", PHOTO_2);
        p.put("MediaContentType1", "image/png");
        assertThat(server.webhook(FrontDeskConfig.INBOUND_PATH, p).statusCode()).isEqualTo(200);
    }

    @Test
    void mediaUrlsAreListedInOrderInTheHistory() {
        textWithPhotos(BUSINESS_NUMBER);
        long id = server.leadJson(CUSTOMER).get("id").asLong();

        JsonNode m = json(server.get("/api/leads/" + id + "/sms")).get("messages").get(0);

        assertThat(m.get("media")).hasSize(2);
        assertThat(m.get("media").get(0).asText()).isEqualTo(PHOTO_1);
        assertThat(m.get("media").get(1).asText()).isEqualTo(PHOTO_2);
        assertThat(m.get("to").asText()).isEqualTo(BUSINESS_NUMBER);
    }

    @Test
    void theAiIsToldHowManyPhotosCameWithoutTheirUrls() {
        server.ai = request -> "Thanks for the photos!";
        textWithPhotos(BUSINESS_NUMBER);
        server.drainReplies();

        ReplyRequest request = server.aiRequests.get(0);
        assertThat(request.notes()).anySatisfy(n -> assertThat(n).contains("2 photos"));
        assertThat(String.join("\n", request.notes())).doesNotContain("http", "api.twilio.com", "Here is the leak");

        server.text(CUSTOMER, "and when can you come?");
        server.drainReplies();
        assertThat(server.aiRequests.get(1).notes()).noneSatisfy(n -> assertThat(n).contains("photo"));
    }

    @Test
    void theReplyGoesOutFromTheNumberTheCustomerTextedWithThatNumbersProfile() {
        server.ai = request -> "Hi from " + request.business().name();
        textWithPhotos(SECOND_NUMBER);
        server.drainReplies();

        assertThat(server.gateway.sent).singleElement().satisfies(s -> {
            assertThat(s.from()).isEqualTo(SECOND_NUMBER);
            assertThat(s.body()).isEqualTo("Hi from Spark Electric");
        });
        ReplyRequest request = server.aiRequests.get(0);
        assertThat(request.business().name()).isEqualTo("Spark Electric");
        assertThat(request.business().phoneNumber()).isEqualTo(SECOND_NUMBER);
        long id = server.leadJson(CUSTOMER).get("id").asLong();
        JsonNode history = json(server.get("/api/leads/" + id + "/sms")).get("messages");
        assertThat(history.get(0).get("to").asText()).isEqualTo(SECOND_NUMBER);
        assertThat(history.get(1).get("from").asText()).isEqualTo(SECOND_NUMBER);
    }

    @Test
    void aNumberWithoutAProfileAnswersAsTheBusinessFromThatNumber() {
        server.ai = request -> "Hi from " + request.business().name();
        server.text(CUSTOMER, "hello");
        server.drainReplies();

        assertThat(server.gateway.sent).singleElement().satisfies(s -> {
            assertThat(s.from()).isEqualTo(BUSINESS_NUMBER);
            assertThat(s.body()).isEqualTo("Hi from Ace Plumbing");
        });
    }

    @Test
    void staffAnswerFromTheNumberTheCustomerLastTexted() {
        textWithPhotos(SECOND_NUMBER);
        long id = server.leadJson(CUSTOMER).get("id").asLong();

        JsonNode sent = json(server.postJson("/api/twilio/sms/outbound", "{\"leadId\": " + id + ", \"message\": \"Got them, thanks\"}"))
                .get("message");

        assertThat(sent.get("from").asText()).isEqualTo(SECOND_NUMBER);
        assertThat(server.gateway.sent.get(server.gateway.sent.size() - 1).from()).isEqualTo(SECOND_NUMBER);
    }

    @Test
    void withAMessagingServiceTheReplyStillNamesTheConfiguredNumberTheCustomerTexted() throws Exception {
        server.close();
        server = new TestServer(c -> c.twilioMessagingServiceSid("MG00000000000000000000000000000000")
                .businessProfiles(Map.of(SECOND_NUMBER, new BusinessProfile("Spark Electric", "Electrical repairs", SECOND_NUMBER))),
                s -> s, "/*");
        textWithPhotos(SECOND_NUMBER);
        server.drainReplies();
        assertThat(server.gateway.sent).singleElement().satisfies(s -> assertThat(s.from()).isEqualTo(SECOND_NUMBER));
    }

    @Test
    void withAMessagingServiceATextToAnUnlistedNumberIsAnsweredFromTheDefaultNumber() throws Exception {
        server.close();
        server = new TestServer(c -> c.twilioMessagingServiceSid("MG00000000000000000000000000000000"), s -> s, "/*");
        textWithPhotos("+14158161286");
        server.drainReplies();
        // The gateway sends the default number through the service without a From, so the service picks the sender.
        assertThat(server.gateway.sent).singleElement().satisfies(s -> assertThat(s.from()).isEqualTo(BUSINESS_NUMBER));
    }
}
