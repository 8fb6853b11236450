package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.API_KEY;
import static dev.frontdesk.sms.servlet.TestServer.BUSINESS_NUMBER;
import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.ClientSetup;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SmsSendException;
import dev.frontdesk.sms.http.StaffAuthorizer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StaffApiTest {
    static final String OUTBOUND = "/api/twilio/sms/outbound";
    static final List<String> MESSAGE_FIELDS = List.of("id", "leadId", "twilioSid", "direction", "from", "to", "body", "status",
            "errorCode", "numSegments", "media", "sentAt", "deliveredAt", "createdAt");
    static final List<String> LEAD_FIELDS = List.of("id", "phoneNumber", "channel", "name", "source", "smsEnabled", "smsOptOut", "lastSmsAt", "createdAt",
            "aiEnabled", "aiPausedUntil", "qualification", "lastMessage");

    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private long customerLeadId() {
        return server.memory.leads().findLeadByPhone(new PhoneNumber(CUSTOMER)).orElseThrow().id();
    }

    // ---------------------------------------------------------------- outbound

    @Test
    void outboundToAKnownLeadAnswers201WithTheStoredMessageFieldByField() {
        server.text(CUSTOMER, "Need a plumber");
        long leadId = customerLeadId();
        server.clock.advance(Duration.ofSeconds(30));

        HttpResponse<String> r = server.postJson(OUTBOUND, "{\"leadId\": " + leadId + ", \"message\": \"On our way! 🚐\"}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(r);
        assertThat(fields(body)).containsExactly("message");
        JsonNode m = body.get("message");
        assertThat(fields(m)).containsExactlyElementsOf(MESSAGE_FIELDS);
        assertThat(m.get("id").isIntegralNumber()).isTrue();
        assertThat(m.get("leadId").asLong()).isEqualTo(leadId);
        assertThat(m.get("twilioSid").asText()).startsWith("SM").hasSize(34);
        assertThat(m.get("direction").asText()).isEqualTo("outbound");
        assertThat(m.get("from").asText()).isEqualTo(BUSINESS_NUMBER);
        assertThat(m.get("to").asText()).isEqualTo(CUSTOMER);
        assertThat(m.get("body").asText()).isEqualTo("On our way! 🚐");
        assertThat(m.get("status").asText()).isEqualTo("queued");
        assertThat(m.get("errorCode").isNull()).isTrue();
        assertThat(m.get("numSegments").asInt()).isEqualTo(1);
        assertThat(m.get("media").isArray()).isTrue();
        assertThat(m.get("media")).isEmpty();
        assertThat(m.get("sentAt").asText()).isEqualTo("2026-11-27T10:00:30Z");
        assertThat(m.get("deliveredAt").isNull()).isTrue();
        assertThat(m.get("createdAt").asText()).isEqualTo("2026-11-27T10:00:30Z");
        assertThat(server.gateway.sent).singleElement().satisfies(s -> {
            assertThat(s.to().value()).isEqualTo(CUSTOMER);
            assertThat(s.statusCallback()).isEqualTo("https://abc123.ngrok.io/api/twilio/sms/status");
        });
    }

    @Test
    void outboundByNumberAloneCreatesAManualLead() {
        HttpResponse<String> r = server.postJson(OUTBOUND, "{\"phoneNumber\": \"(555) 987-6543\", \"message\": \"Hi from Ace\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        Lead lead = server.memory.leads().findLeadByPhone(new PhoneNumber("+15559876543")).orElseThrow();
        assertThat(lead.source()).isEqualTo("manual");
        assertThat(json(r).get("message").get("to").asText()).isEqualTo("+15559876543");
    }

    @Test
    void outboundInputErrorsFollowTheContract() {
        server.text(CUSTOMER, "hi");
        long leadId = customerLeadId();
        assertError(server.postJson(OUTBOUND, "{\"leadId\": " + leadId + ", \"message\": \"  \"}"), 400, "empty_message");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": " + leadId + "}"), 400, "empty_message");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": " + leadId + ", \"message\": \"" + "a".repeat(1601) + "\"}"), 400, "message_too_long");
        assertError(server.postJson(OUTBOUND, "{\"phoneNumber\": \"12\", \"message\": \"hi\"}"), 400, "invalid_phone_number");
        assertError(server.postJson(OUTBOUND, "{\"message\": \"hi\"}"), 400, "invalid_request");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": " + leadId + ", \"phoneNumber\": \"+15550009999\", \"message\": \"hi\"}"),
                400, "invalid_request");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": \"abc\", \"message\": \"hi\"}"), 400, "invalid_request");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": 1.5, \"message\": \"hi\"}"), 400, "invalid_request");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": " + leadId + ", \"message\": 42}"), 400, "invalid_request");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": " + leadId + ", \"message\": \"hi\""), 400, "invalid_request");
        assertError(server.postJson(OUTBOUND, "[1, 2]"), 400, "invalid_request");
        assertError(server.postJson(OUTBOUND, ""), 400, "invalid_request");
        assertError(server.postJson(OUTBOUND, "{} {}"), 400, "invalid_request");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": 999, \"message\": \"hi\"}"), 404, "lead_not_found");
        assertThat(server.gateway.sent).isEmpty();
    }

    @Test
    void outboundWithBothIdAndMatchingNumberIsAccepted() {
        server.text(CUSTOMER, "hi");
        HttpResponse<String> r = server.postJson(OUTBOUND, "{\"leadId\": \"" + customerLeadId() + "\", \"phoneNumber\": \"+1 555 123 4567\", \"message\": \"ok\"}");
        assertThat(r.statusCode()).isEqualTo(201);
    }

    @Test
    void optedOutLeadIs409BeforeAnyTwilioCall() {
        server.text(CUSTOMER, "STOP");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": " + customerLeadId() + ", \"message\": \"hi\"}"), 409, "opted_out");
        assertThat(server.gateway.sent).isEmpty();
    }

    @Test
    void unverifiedNumberInTestModeIs422() throws Exception {
        try (TestServer test = new TestServer(c -> c.twilioTestMode(true), s -> s, "/*")) {
            test.gateway.verified = Set.of("+15550002222");
            assertError(test.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"hi\"}"), 422, "unverified_number");
            assertThat(test.gateway.sent).isEmpty();
            assertThat(test.postJson(OUTBOUND, "{\"phoneNumber\": \"+15550002222\", \"message\": \"hi\"}").statusCode()).isEqualTo(201);
        }
    }

    @Test
    void twilioRefusalIs502WithTwilioCodeInTheMessage() {
        server.gateway.failNext = new SmsSendException("Twilio refused the message: the 'To' number is not a valid phone number.",
                21211, 400, false);
        JsonNode error = assertError(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"hi\"}"),
                502, "twilio_error");
        assertThat(error.get("message").asText()).contains("21211");
    }

    @Test
    void wrongContentTypeIs415AndOversizedJsonIs413() throws Exception {
        HttpResponse<String> text = server.send(HttpRequest.newBuilder(server.local(OUTBOUND))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"leadId\": 1, \"message\": \"hi\"}")).build());
        assertError(text, 415, "unsupported_media_type");
        HttpResponse<String> none = server.send(HttpRequest.newBuilder(server.local(OUTBOUND))
                .header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"leadId\": 1, \"message\": \"hi\"}")).build());
        assertError(none, 415, "unsupported_media_type");
        HttpResponse<String> withCharset = server.send(HttpRequest.newBuilder(server.local(OUTBOUND))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"hi\"}")).build());
        assertThat(withCharset.statusCode()).isEqualTo(201);

        try (TestServer small = new TestServer(c -> c, s -> s.maxJsonBytes(1024), "/*")) {
            String big = "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"" + "a".repeat(1500) + "\"}";
            assertError(small.postJson(OUTBOUND, big), 413, "payload_too_large");
            assertThat(small.gateway.sent).isEmpty();
        }
    }

    // ---------------------------------------------------------------- staff key

    private HttpResponse<String> getWith(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.local(path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return server.send(b.build());
    }

    @Test
    void staffEndpointsRefuseAMissingWrongOrEmptyKeyWith401() {
        for (String path : List.of("/api/leads", "/api/leads/1/sms", "/api/twilio/status")) {
            assertError(getWith(path, null), 401, "unauthorized");
            assertError(getWith(path, "Bearer wrong-key"), 401, "unauthorized");
            assertError(getWith(path, "Bearer "), 401, "unauthorized");
            assertError(getWith(path, "Bearer"), 401, "unauthorized");
            assertError(getWith(path, API_KEY), 401, "unauthorized");
            assertError(getWith(path, "Basic " + API_KEY), 401, "unauthorized");
            assertError(getWith(path, "Bearer " + API_KEY + "x"), 401, "unauthorized");
            assertThat(getWith(path, "Bearer " + API_KEY).statusCode()).isNotEqualTo(401);
        }
        HttpResponse<String> r = getWith("/api/leads", null);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        HttpResponse<String> post = server.send(HttpRequest.newBuilder(server.local(OUTBOUND)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"hi\"}")).build());
        assertError(post, 401, "unauthorized");
        assertThat(server.gateway.sent).isEmpty();
    }

    @Test
    void keyIsNeverAcceptedInTheUrl() {
        for (String q : List.of("?apiKey=", "?api_key=", "?key=", "?token=", "?access_token=")) {
            assertError(getWith("/api/leads" + q + API_KEY, null), 401, "unauthorized");
        }
    }

    @Test
    void keyCheckComesBeforeTheBody() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.local(OUTBOUND)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("not json")).build());
        assertError(r, 401, "unauthorized");
    }

    @Test
    void withoutAKeyOrAuthorizerTheStaffApiIsSwitchedOff() throws Exception {
        try (TestServer noKey = new TestServer(s -> s, false)) {
            HttpResponse<String> r = noKey.send(HttpRequest.newBuilder(noKey.local("/api/leads")).header("Authorization", "Bearer ").GET().build());
            assertThat(assertError(r, 401, "unauthorized").get("message").asText()).contains("FRONTDESK_API_KEY");
            assertThat(noKey.text(CUSTOMER, "webhooks still work").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void hostAuthorizerReplacesTheKey() throws Exception {
        StaffAuthorizer byHeader = request -> "alice".equals(request.header("X-Staff-User"))
                && request.unwrap(jakarta.servlet.http.HttpServletRequest.class).getRemoteAddr() != null;
        try (TestServer custom = new TestServer(s -> s.authorizer(byHeader), false)) {
            HttpResponse<String> ok = custom.send(HttpRequest.newBuilder(custom.local("/api/leads")).header("X-Staff-User", "alice").GET().build());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertError(custom.get("/api/leads"), 401, "unauthorized");
        }
        try (TestServer both = new TestServer(s -> s.authorizer(StaffAuthorizer.bearerKey("other-key").or(byHeader)), false)) {
            assertThat(both.send(HttpRequest.newBuilder(both.local("/api/leads")).header("Authorization", "Bearer other-key").GET().build())
                    .statusCode()).isEqualTo(200);
            assertThat(both.send(HttpRequest.newBuilder(both.local("/api/leads")).header("X-Staff-User", "alice").GET().build())
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void apiKeyGivenToTheBuilderWins() throws Exception {
        try (TestServer own = new TestServer(s -> s.apiKey("builder-key"), false)) {
            assertThat(own.send(HttpRequest.newBuilder(own.local("/api/leads")).header("Authorization", "bearer builder-key").GET().build())
                    .statusCode()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- reads

    @Test
    void leadsListsMostRecentFirstFieldByField() {
        server.text("+15550000001", "first");
        server.clock.advance(Duration.ofMinutes(1));
        server.text(CUSTOMER, "second");

        HttpResponse<String> r = server.get("/api/leads");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(r);
        assertThat(fields(body)).containsExactly("leads", "nextCursor");
        JsonNode leads = body.get("leads");
        assertThat(leads).hasSize(2);
        JsonNode lead = leads.get(0);
        assertThat(fields(lead)).containsExactlyElementsOf(LEAD_FIELDS);
        assertThat(lead.get("id").asLong()).isEqualTo(customerLeadId());
        assertThat(lead.get("phoneNumber").asText()).isEqualTo(CUSTOMER);
        assertThat(lead.get("name").isNull()).isTrue();
        assertThat(lead.get("source").asText()).isEqualTo("sms");
        assertThat(lead.get("channel").asText()).isEqualTo("sms");
        assertThat(lead.get("smsEnabled").asBoolean()).isTrue();
        assertThat(lead.get("smsOptOut").isBoolean()).isTrue();
        assertThat(lead.get("smsOptOut").asBoolean()).isFalse();
        assertThat(lead.get("lastSmsAt").asText()).isEqualTo("2026-11-27T10:01:00Z");
        assertThat(lead.get("createdAt").asText()).isEqualTo("2026-11-27T10:01:00Z");
        assertThat(leads.get(1).get("phoneNumber").asText()).isEqualTo("+15550000001");
    }

    @Test
    void leadsFilterByPhoneEncodedOrWithTheLeadingSpaceOfAnUnencodedPlus() {
        server.text("+15550000001", "first");
        server.text(CUSTOMER, "second");
        for (String q : List.of("?phone=%2B15551234567", "?phone=+15551234567", "?phone=%2B1%20555%20123%204567")) {
            JsonNode leads = json(server.get("/api/leads" + q)).get("leads");
            assertThat(leads).as(q).hasSize(1);
            assertThat(leads.get(0).get("phoneNumber").asText()).isEqualTo(CUSTOMER);
        }
        assertThat(json(server.get("/api/leads?phone=%2B15559999999")).get("leads")).isEmpty();
        assertError(server.get("/api/leads?phone=abc"), 400, "invalid_phone_number");
    }

    @Test
    void leadsLimitDefaultsTo100AndIsCappedAt1000() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 1001; i++) {
            server.memory.leads().findOrCreateLead(new PhoneNumber(String.format("+1555%07d", i)), "manual", t.plusSeconds(i));
        }
        assertThat(json(server.get("/api/leads")).get("leads")).hasSize(100);
        assertThat(json(server.get("/api/leads?limit=7")).get("leads")).hasSize(7);
        assertThat(json(server.get("/api/leads?limit=5000")).get("leads")).hasSize(1000);
        assertError(server.get("/api/leads?limit=abc"), 400, "invalid_request");
        assertError(server.get("/api/leads?limit=0"), 400, "invalid_request");
        assertError(server.get("/api/leads?limit=-3"), 400, "invalid_request");
    }

    @Test
    void historyListsTheConversationOldestFirst() {
        server.text(CUSTOMER, "Leaking pipe");
        server.clock.advance(Duration.ofSeconds(10));
        long leadId = customerLeadId();
        server.postJson(OUTBOUND, "{\"leadId\": " + leadId + ", \"message\": \"We can come today\"}");
        server.clock.advance(Duration.ofSeconds(10));
        server.text(CUSTOMER, "Great");

        HttpResponse<String> r = server.get("/api/leads/" + leadId + "/sms");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(fields(body)).containsExactly("leadId", "messages");
        assertThat(body.get("leadId").asLong()).isEqualTo(leadId);
        JsonNode messages = body.get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).get("body").asText()).isEqualTo("Leaking pipe");
        assertThat(messages.get(1).get("body").asText()).isEqualTo("We can come today");
        assertThat(messages.get(2).get("body").asText()).isEqualTo("Great");
        JsonNode inbound = messages.get(0);
        assertThat(fields(inbound)).containsExactlyElementsOf(MESSAGE_FIELDS);
        assertThat(inbound.get("direction").asText()).isEqualTo("inbound");
        assertThat(inbound.get("from").asText()).isEqualTo(CUSTOMER);
        assertThat(inbound.get("to").asText()).isEqualTo(BUSINESS_NUMBER);
        assertThat(inbound.get("twilioSid").asText()).startsWith("SMa1");
        assertThat(inbound.get("sentAt").isNull()).isTrue();
        assertThat(inbound.get("createdAt").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(messages.get(1).get("direction").asText()).isEqualTo("outbound");
        assertThat(json(server.get("/api/leads/" + leadId + "/sms?limit=2")).get("messages")).hasSize(2);
    }

    @Test
    void historyOfANonNumericLeadIs400AndOfAnUnknownLeadIs404() {
        assertError(server.get("/api/leads/abc/sms"), 400, "invalid_request");
        assertError(server.get("/api/leads/-1/sms"), 400, "invalid_request");
        assertError(server.get("/api/leads/99999999999999999999999/sms"), 400, "invalid_request");
        assertError(server.get("/api/leads/42/sms"), 404, "lead_not_found");
    }

    @Test
    void mediaUrlsOfAnMmsAreListedInOrder() {
        var p = new java.util.LinkedHashMap<>(server.inboundParams("MM7e5776063a534795d03a7268eeff1d2e", CUSTOMER, ""));
        p.put("NumMedia", "2");
        p.put("MediaUrl0", "https://api.twilio.com/media/one");
        p.put("MediaContentType0", "image/jpeg");
        p.put("MediaUrl1", "https://api.twilio.com/media/two");
        p.put("MediaContentType1", "image/png");
        assertThat(server.webhook("/api/twilio/sms/inbound", p).statusCode()).isEqualTo(200);

        JsonNode m = json(server.get("/api/leads/" + customerLeadId() + "/sms")).get("messages").get(0);
        assertThat(m.get("media").get(0).asText()).isEqualTo("https://api.twilio.com/media/one");
        assertThat(m.get("media").get(1).asText()).isEqualTo("https://api.twilio.com/media/two");
        assertThat(m.get("body").asText()).isEmpty();
    }

    @Test
    void setupStatusShowsWhereTwilioAndTheAiStand() {
        HttpResponse<String> r = server.get("/api/twilio/status");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = json(r);
        assertThat(fields(s)).containsExactly("configured", "mode", "phoneNumber", "missing", "inboundWebhookUrl", "statusCallbackUrl", "voiceWebhookUrl", "ai", "budget");
        assertThat(s.get("configured").asBoolean()).isTrue();
        assertThat(s.get("mode").asText()).isEqualTo("production");
        assertThat(s.get("phoneNumber").asText()).isEqualTo("+1555***1111");
        assertThat(s.get("missing").isArray()).isTrue();
        assertThat(s.get("missing")).isEmpty();
        assertThat(s.get("inboundWebhookUrl").asText()).isEqualTo("https://abc123.ngrok.io/api/twilio/sms/inbound");
        assertThat(s.get("voiceWebhookUrl").asText()).isEqualTo("https://abc123.ngrok.io/api/twilio/voice/inbound");
        assertThat(s.get("statusCallbackUrl").asText()).isEqualTo("https://abc123.ngrok.io/api/twilio/sms/status");
        assertThat(fields(s.get("ai"))).containsExactly("configured", "provider", "model");
        assertThat(s.get("ai").path("provider").asText()).isEqualTo("openai");
        assertThat(s.get("ai").get("configured").asBoolean()).isFalse();
        assertThat(s.get("ai").get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(r.body()).doesNotContain(TestServer.TOKEN).doesNotContain(API_KEY);
    }

    @Test
    void setupStatusInTestModeNamesWhatIsMissing() throws Exception {
        try (TestServer bare = new TestServer(c -> c.twilioPhoneNumber(null).twilioTestMode(true)
                .setup(new ClientSetup(false, true, true, "gpt-4.1-mini")), s -> s, "/*")) {
            JsonNode s = json(bare.get("/api/twilio/status"));
            assertThat(s.get("configured").asBoolean()).isFalse();
            assertThat(s.get("mode").asText()).isEqualTo("test");
            assertThat(s.get("phoneNumber").isNull()).isTrue();
            assertThat(s.get("missing")).extracting(JsonNode::asText).containsExactly("TWILIO_ACCOUNT_SID", "TWILIO_PHONE_NUMBER");
            assertThat(s.get("ai").get("configured").asBoolean()).isTrue();
            assertThat(s.get("ai").get("model").asText()).isEqualTo("gpt-4.1-mini");
            assertThat(s.toString()).doesNotContain("sk-test");
        }
    }

    // ---------------------------------------------------------------- store down, health, routing

    @Test
    void storeDownAnswers503OnStaffEndpointsAndRecovers() {
        server.text(CUSTOMER, "hi");
        server.repository.down = true;
        assertError(server.get("/api/leads"), 503, "unavailable");
        assertError(server.get("/api/leads/1/sms"), 503, "unavailable");
        assertError(server.postJson(OUTBOUND, "{\"leadId\": 1, \"message\": \"hi\"}"), 503, "unavailable");
        assertThat(server.gateway.sent).isEmpty();
        server.repository.down = false;
        assertThat(server.get("/api/leads").statusCode()).isEqualTo(200);
    }

    @Test
    void healthIs200WhileTheStoreAnswersAnd503WhenItDoesNotWithoutAKey() {
        HttpResponse<String> up = server.send(HttpRequest.newBuilder(server.local("/api/health")).GET().build());
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(json(up).get("status").asText()).isEqualTo("ok");

        server.repository.down = true;
        HttpResponse<String> down = server.send(HttpRequest.newBuilder(server.local("/api/health")).GET().build());
        assertError(down, 503, "unavailable");
        assertThat(down.body()).doesNotContain("db.internal").doesNotContain("5432");

        server.repository.down = false;
        assertThat(server.send(HttpRequest.newBuilder(server.local("/api/health")).GET().build()).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathIs404Json() {
        assertError(server.get("/api/nothing-here"), 404, "not_found");
        assertError(server.get("/"), 404, "not_found");
        assertError(server.get("/api/leads/"), 404, "not_found");
        assertError(server.get("/api/leads/1/sms/extra"), 404, "not_found");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        HttpResponse<String> post = server.postJson("/api/leads", "{}");
        assertError(post, 405, "method_not_allowed");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> get = server.get(OUTBOUND);
        assertError(get, 405, "method_not_allowed");
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        HttpResponse<String> delete = server.send(HttpRequest.newBuilder(server.local("/api/leads/1/sms"))
                .header("Authorization", "Bearer " + API_KEY).DELETE().build());
        assertError(delete, 405, "method_not_allowed");
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
    }
}
