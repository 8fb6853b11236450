package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.BUSINESS_NUMBER;
import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.PUBLIC_BASE;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyRequest;
import dev.frontdesk.sms.servlet.StoreKind.Served;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Missed-call text-back over real HTTP into Jetty: a call is forwarded to {@code OWNER_PHONE_NUMBER} (TwiML read as
 * XML), a call nobody answered makes the caller a lead with source {@code call} and gets one text written by the AI
 * with the missed-call note (the fallback text when the AI is out), also when Twilio repeats the callback.
 */
class VoiceWebhookTest {
    static final String OWNER = "+15559998888";
    static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";

    private static Served withOwner(StoreKind kind) {
        return kind.serve(c -> c.ownerPhoneNumber(new PhoneNumber(OWNER)), 8 * 1024);
    }

    private static Map<String, String> call(String callSid, String from) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", callSid);
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("From", from);
        p.put("To", BUSINESS_NUMBER);
        return p;
    }

    private static Map<String, String> dialStatus(String callSid, String from, String status) {
        Map<String, String> p = call(callSid, from);
        p.put("CallStatus", "in-progress");
        p.put("DialCallSid", "CAfedcba9876543210fedcba9876543210");
        p.put("DialCallStatus", status);
        p.put("DialCallDuration", "0");
        return p;
    }

    private static Document xml(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml");
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode leadOf(Served s, String phone) {
        return json(s.server.get("/api/leads?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8))).get("leads");
    }

    @Test
    void aCallIsForwardedToTheOwnerWithTheAbsoluteDialStatusUrlAndARingTimeout() throws Exception {
        try (Served s = withOwner(StoreKind.MEMORY)) {
            Document twiml = xml(s.server.webhook(FrontDeskConfig.VOICE_INBOUND_PATH, call(CALL_SID, CUSTOMER)));

            Element dial = (Element) twiml.getDocumentElement().getElementsByTagName("Dial").item(0);
            assertThat(twiml.getDocumentElement().getTagName()).isEqualTo("Response");
            assertThat(dial.getAttribute("action")).isEqualTo(PUBLIC_BASE + FrontDeskConfig.VOICE_DIAL_STATUS_PATH);
            assertThat(dial.getAttribute("method")).isEqualTo("POST");
            assertThat(dial.getAttribute("timeout")).isEqualTo("20");
            assertThat(dial.getElementsByTagName("Number").item(0).getTextContent()).isEqualTo(OWNER);
            assertThat(twiml.getElementsByTagName("Say").getLength()).isZero();
            assertThat(s.snapshot().leads()).as("nothing stored while the owner's phone rings").isZero();
            assertThat(s.snapshot().pendingJobs()).isZero();
        }
    }

    @Test
    void withoutAnOwnerNumberTheCallerHearsASentenceAndIsTextedRightAway() throws Exception {
        try (Served s = StoreKind.MEMORY.serve()) {
            s.server.ai = request -> "Sorry we missed you! What can we do for you?";
            Document twiml = xml(s.server.webhook(FrontDeskConfig.VOICE_INBOUND_PATH, call(CALL_SID, CUSTOMER)));
            assertThat(twiml.getElementsByTagName("Dial").getLength()).isZero();
            assertThat(twiml.getElementsByTagName("Say").item(0).getTextContent()).contains("text you");
            assertThat(twiml.getElementsByTagName("Hangup").getLength()).isEqualTo(1);

            s.server.drainReplies();
            assertThat(s.server.gateway.sent).singleElement().satisfies(out -> {
                assertThat(out.to().value()).isEqualTo(CUSTOMER);
                assertThat(out.body()).isEqualTo("Sorry we missed you! What can we do for you?");
            });
            assertThat(leadOf(s, CUSTOMER).get(0).get("source").asText()).isEqualTo("call");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aMissedForwardedCallGetsOneAiTextWithTheNoteAlsoWhenTwilioRepeatsTheCallback(StoreKind kind) throws Exception {
        try (Served s = withOwner(kind)) {
            s.server.ai = request -> "Sorry we missed your call! How can we help?";
            xml(s.server.webhook(FrontDeskConfig.VOICE_INBOUND_PATH, call(CALL_SID, CUSTOMER)));
            for (int delivery = 0; delivery < 3; delivery++) {
                Document twiml = xml(s.server.webhook(FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialStatus(CALL_SID, CUSTOMER, "no-answer")));
                assertThat(twiml.getElementsByTagName("Say").getLength()).as("delivery " + delivery).isEqualTo(1);
            }
            s.server.drainReplies();

            assertThat(s.server.gateway.sent).as("one text per missed call").singleElement().satisfies(out -> {
                assertThat(out.to().value()).isEqualTo(CUSTOMER);
                assertThat(out.from()).isEqualTo(BUSINESS_NUMBER);
                assertThat(out.body()).isEqualTo("Sorry we missed your call! How can we help?");
            });
            ReplyRequest asked = s.server.aiRequests.get(0);
            assertThat(asked.notes()).anySatisfy(n -> assertThat(n).contains("just called", "nobody answered"));
            assertThat(asked.conversation()).isEmpty();
            JsonNode lead = leadOf(s, CUSTOMER).get(0);
            assertThat(lead.get("source").asText()).isEqualTo("call");
            assertThat(lead.get("channel").asText()).isEqualTo("sms");
            assertThat(lead.get("lastMessage").get("body").asText()).isEqualTo("Sorry we missed your call! How can we help?");
            assertThat(s.snapshot().pendingJobs()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"busy", "failed", "canceled"})
    void busyFailedAndCanceledAreMissedCallsToo(String status) throws Exception {
        try (Served s = withOwner(StoreKind.MEMORY)) {
            s.server.webhook(FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialStatus(CALL_SID, CUSTOMER, status));
            s.server.drainReplies();
            assertThat(s.server.gateway.sent).hasSize(1);
        }
    }

    @Test
    void whenTheAiIsOutTheCallerGetsTheMissedCallFallbackText() throws Exception {
        try (Served s = withOwner(StoreKind.MEMORY)) {
            s.server.ai = request -> {
                throw new IllegalStateException("model server down");
            };
            s.server.webhook(FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialStatus(CALL_SID, CUSTOMER, "no-answer"));
            s.server.drainReplies();
            assertThat(s.server.gateway.sent).singleElement().extracting(OutboundSms::body).asString()
                    .startsWith("Sorry we missed your call!").contains("Ace Plumbing");
        }
    }

    @Test
    void anAnsweredCallSendsNothingAndAnExistingLeadKeepsItsSource() throws Exception {
        try (Served s = withOwner(StoreKind.MEMORY)) {
            s.server.text(CUSTOMER, "Hi");
            s.server.drainReplies();
            int sent = s.server.gateway.sent.size();
            Document twiml = xml(s.server.webhook(FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialStatus(CALL_SID, CUSTOMER, "completed")));
            assertThat(twiml.getDocumentElement().getChildNodes().getLength()).isZero();
            s.server.drainReplies();
            assertThat(s.server.gateway.sent).hasSize(sent);

            s.server.webhook(FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialStatus("CA1123456789abcdef0123456789abcdef", CUSTOMER, "busy"));
            s.server.drainReplies();
            assertThat(s.server.gateway.sent).hasSize(sent + 1);
            assertThat(leadOf(s, CUSTOMER)).singleElement().satisfies(l -> assertThat(l.get("source").asText()).isEqualTo("sms"));
        }
    }

    @Test
    void anOptedOutCallerIsNotTexted() throws Exception {
        try (Served s = withOwner(StoreKind.MEMORY)) {
            s.server.text(CUSTOMER, "STOP");
            s.server.drainReplies();
            s.server.webhook(FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialStatus(CALL_SID, CUSTOMER, "no-answer"));
            s.server.drainReplies();
            assertThat(s.server.gateway.sent).isEmpty();
            assertThat(s.snapshot().pendingJobs()).isZero();
        }
    }

    @Test
    void aHiddenCallerIsAnsweredButNotTexted() throws Exception {
        try (Served s = StoreKind.MEMORY.serve()) {
            xml(s.server.webhook(FrontDeskConfig.VOICE_INBOUND_PATH, call(CALL_SID, "anonymous")));
            s.server.drainReplies();
            assertThat(s.server.gateway.sent).isEmpty();
            assertThat(s.snapshot().leads()).isZero();
        }
    }

    @Test
    void unsignedOrBadlySignedVoiceWebhooksAre403AndChangeNothing() throws Exception {
        try (Served s = StoreKind.MEMORY.serve()) {
            for (String path : List.of(FrontDeskConfig.VOICE_INBOUND_PATH, FrontDeskConfig.VOICE_DIAL_STATUS_PATH)) {
                String form = TestServer.form(dialStatus(CALL_SID, CUSTOMER, "no-answer"));
                assertError(s.server.postForm(path, form, null), 403, "invalid_signature");
                assertError(s.server.postForm(path, form, "bm90IGEgc2lnbmF0dXJl"), 403, "invalid_signature");
            }
            s.server.drainReplies();
            assertThat(s.server.gateway.sent).isEmpty();
            assertThat(s.snapshot().leads()).isZero();
        }
    }

    @Test
    void aMalformedCallSidIs400() throws Exception {
        try (Served s = StoreKind.MEMORY.serve()) {
            assertError(s.server.webhook(FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialStatus("CA123", CUSTOMER, "busy")),
                    400, "invalid_request");
            assertThat(s.snapshot().leads()).isZero();
        }
    }

    @Test
    void theStatusPageNamesTheVoiceWebhookUrl() {
        try (Served s = StoreKind.MEMORY.serve()) {
            assertThat(json(s.server.get("/api/twilio/status")).get("voiceWebhookUrl").asText())
                    .isEqualTo(PUBLIC_BASE + FrontDeskConfig.VOICE_INBOUND_PATH);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Cape Town (Africa/Johannesburg, UTC+2 all year): 22:00 there at 20:00 UTC, inside the quiet hours. */
    static final String CAPE_TOWN = "+27211234567";
    static final String CAPE_TOWN_NEIGHBOUR = "+27211234568";
    static final Instant TEN_PM_IN_CAPE_TOWN = Instant.parse("2026-11-27T20:00:00Z");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCallerWhoJustCalledAtNightIsTextedAtOnceAndCountsAsWritingForStaffTexts(StoreKind kind) throws Exception {
        try (Served s = withOwner(kind)) {
            s.server.clock.advance(Duration.between(s.server.clock.instant(), TEN_PM_IN_CAPE_TOWN));
            s.server.ai = request -> "Sorry we missed your call! How can we help?";
            s.server.webhook(FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialStatus(CALL_SID, CAPE_TOWN, "no-answer"));
            s.server.drainReplies();
            assertThat(s.server.gateway.sent).as("the missed-call text at 22:00 local, as to a customer texting now").singleElement()
                    .satisfies(out -> assertThat(out.to().value()).isEqualTo(CAPE_TOWN));

            s.server.clock.advance(Duration.ofMinutes(30));
            assertThat(staffText(s, CAPE_TOWN, "Hi, it's Joe, I can come at 8 tomorrow.").statusCode())
                    .as("22:30 local, half an hour after the call: no cold text").isEqualTo(201);
            assertThat(s.server.gateway.sent).hasSize(2);

            s.server.text(CAPE_TOWN_NEIGHBOUR, "hi"); // a lead who never called, last wrote 25 hours before the staff text
            s.server.clock.advance(Duration.ofHours(25));
            assertError(staffText(s, CAPE_TOWN_NEIGHBOUR, "Still need help?"), 409, "quiet_hours");
            assertError(staffText(s, CAPE_TOWN, "Still need help?"), 409, "quiet_hours"); // 23:30, the call 25.5 h ago
        }
    }

    private static HttpResponse<String> staffText(Served s, String phone, String message) {
        return s.server.postJson("/api/twilio/sms/outbound", "{\"phoneNumber\": \"" + phone + "\", \"message\": \"" + message + "\"}");
    }

    @Test
    void theRunningWorkersTextAMissedCallerWithinThirtySeconds() throws Exception {
        try (Served s = withOwner(StoreKind.MEMORY)) {
            s.server.frontDesk.start();
            s.server.webhook(FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialStatus(CALL_SID, CUSTOMER, "no-answer"));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (s.server.gateway.sent.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(s.server.gateway.sent).as("texted within 30 s").hasSize(1);
        }
    }
}
