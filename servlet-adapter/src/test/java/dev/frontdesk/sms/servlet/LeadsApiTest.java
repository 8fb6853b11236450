package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.PhoneNumber;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The leads page's API through real HTTP: {@code GET /api/leads/{leadId}}, {@code lastMessage} on every lead, and
 * {@code q}, {@code filter} and {@code cursor} on {@code GET /api/leads}. The stores' side of each (order, filters,
 * the cursor) is pinned by the store contract suites on memory, H2 and PostgreSQL.
 */
class LeadsApiTest {
    static final List<String> LEAD_FIELDS = StaffApiTest.LEAD_FIELDS;
    /** A lead's own answer ({@code GET}, {@code PATCH} of one lead) adds the owner alerts about it. */
    static final List<String> ONE_LEAD_FIELDS = java.util.stream.Stream.concat(LEAD_FIELDS.stream(), java.util.stream.Stream.of("alerts"))
            .toList();

    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private long leadId(String phone) {
        return server.memory.leads().findLeadByPhone(new PhoneNumber(phone)).orElseThrow().id();
    }

    private List<String> phones(JsonNode leads) {
        List<String> out = new ArrayList<>();
        leads.forEach(l -> out.add(l.get("phoneNumber").asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void aLeadAloneWithItsLatestMessage() {
        server.text(CUSTOMER, "Need a plumber");
        server.clock.advance(Duration.ofSeconds(5));
        server.text(CUSTOMER, "today if you can");
        long id = leadId(CUSTOMER);

        HttpResponse<String> r = server.get("/api/leads/" + id);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(StaffApiTest.fields(body)).containsExactly("lead");
        JsonNode lead = body.get("lead");
        assertThat(StaffApiTest.fields(lead)).containsExactlyElementsOf(ONE_LEAD_FIELDS);
        assertThat(lead.get("alerts")).as("no OWNER_PHONE_NUMBER").isEmpty();
        assertThat(lead.get("id").asLong()).isEqualTo(id);
        assertThat(lead.get("phoneNumber").asText()).isEqualTo(CUSTOMER);
        JsonNode last = lead.get("lastMessage");
        assertThat(StaffApiTest.fields(last)).containsExactlyElementsOf(StaffApiTest.MESSAGE_FIELDS);
        assertThat(last.get("body").asText()).isEqualTo("today if you can");
        assertThat(last.get("direction").asText()).isEqualTo("inbound");
        assertThat(last.get("leadId").asLong()).isEqualTo(id);

        assertError(server.get("/api/leads/424242"), 404, "lead_not_found");
        assertError(server.get("/api/leads/abc"), 400, "invalid_request");
        assertError(server.get("/api/leads/99999999999999999999999"), 400, "invalid_request");
        assertError(server.send(HttpRequest.newBuilder(server.local("/api/leads/" + id)).GET().build()), 401, "unauthorized");
        assertError(server.get("/api/leads/"), 404, "not_found");
    }

    @Test
    void everyLeadInTheListAndInAnEditsAnswerCarriesItsLastMessage() {
        server.text(CUSTOMER, "hello");
        long id = leadId(CUSTOMER);
        server.clock.advance(Duration.ofSeconds(5));
        server.postJson(StaffApiTest.OUTBOUND, "{\"leadId\": " + id + ", \"message\": \"Hi! How can we help?\"}");
        Lead quiet = server.memory.leads().findOrCreateLead(new PhoneNumber("+15559990000"), Lead.SOURCE_MANUAL, server.clock.instant());

        JsonNode body = json(server.get("/api/leads"));
        assertThat(StaffApiTest.fields(body)).containsExactly("leads", "nextCursor");
        assertThat(body.get("nextCursor").isNull()).isTrue();
        JsonNode leads = body.get("leads");
        assertThat(leads).hasSize(2);
        assertThat(StaffApiTest.fields(leads.get(0))).containsExactlyElementsOf(LEAD_FIELDS);
        assertThat(leads.get(0).get("id").asLong()).isEqualTo(quiet.id());
        assertThat(leads.get(0).get("lastMessage").isNull()).isTrue();
        assertThat(leads.get(1).get("lastMessage").get("body").asText()).isEqualTo("Hi! How can we help?");
        assertThat(leads.get(1).get("lastMessage").get("direction").asText()).isEqualTo("outbound");

        JsonNode patched = json(server.patchJson("/api/leads/" + id, "{\"qualification\": {\"name\": \"Sam Lee\"}}")).get("lead");
        assertThat(StaffApiTest.fields(patched)).containsExactlyElementsOf(ONE_LEAD_FIELDS);
        assertThat(patched.get("lastMessage").get("body").asText()).isEqualTo("Hi! How can we help?");
        JsonNode switched = json(server.postJson("/api/leads/" + id + "/ai", "{\"enabled\": false}")).get("lead");
        assertThat(switched.get("lastMessage").get("direction").asText()).isEqualTo("outbound");
    }

    @Test
    void theCursorWalksEveryLeadOnceAndTheLastPageHasNone() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String phone = "+155500000" + (10 + i);
            server.text(phone, "hi " + i);
            server.clock.advance(Duration.ofSeconds(1));
            expected.add(0, phone);
        }
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(server.get("/api/leads?limit=2" + (cursor == null ? "" : "&cursor=" + enc(cursor))));
            walked.addAll(phones(page.get("leads")));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(pages).as("6 leads in pages of 2: no fourth, empty page").isEqualTo(3);
        assertThat(json(server.get("/api/leads?limit=6")).get("nextCursor").isNull()).isTrue();
        assertThat(json(server.get("/api/leads?limit=5")).get("nextCursor").isNull()).isFalse();
    }

    @Test
    void searchAndFilters() {
        server.text("+15550000011", "hi");
        server.patchJson("/api/leads/" + leadId("+15550000011"), "{\"qualification\": {\"name\": \"Samantha Lee\"}}");
        server.postJson(StaffApiTest.OUTBOUND, "{\"leadId\": " + leadId("+15550000011") + ", \"message\": \"Hello Sam\"}");
        server.clock.advance(Duration.ofSeconds(1));
        server.text("+15550000022", "STOP");
        server.clock.advance(Duration.ofSeconds(1));
        server.text("+15550000033", "anyone there?");
        server.postJson("/api/leads/" + leadId("+15550000033") + "/ai", "{\"enabled\": false, \"minutes\": 60}");

        assertThat(phones(json(server.get("/api/leads?q=SAMANTHA")).get("leads"))).containsExactly("+15550000011");
        assertThat(phones(json(server.get("/api/leads?q=" + enc("555 000 0022"))).get("leads"))).containsExactly("+15550000022");
        assertThat(phones(json(server.get("/api/leads?filter=unanswered")).get("leads")))
                .containsExactly("+15550000033", "+15550000022");
        assertThat(phones(json(server.get("/api/leads?filter=opted_out")).get("leads"))).containsExactly("+15550000022");
        assertThat(phones(json(server.get("/api/leads?filter=ai_paused")).get("leads")))
                .as("paused by hand, and by the staff text (HUMAN_TAKEOVER_MINUTES)").containsExactly("+15550000033", "+15550000011");
        assertThat(phones(json(server.get("/api/leads?filter=unanswered&q=0033")).get("leads"))).containsExactly("+15550000033");
        server.clock.advance(Duration.ofMinutes(61));
        assertThat(phones(json(server.get("/api/leads?filter=ai_paused")).get("leads"))).as("the hour's pause is over")
                .containsExactly("+15550000011");
    }

    @Test
    void aBadFilterCursorOrSearchIsRefusedWithAMessageThatSaysWhatToSend() {
        server.text(CUSTOMER, "hi");
        JsonNode filter = assertError(server.get("/api/leads?filter=urgent"), 400, "invalid_request");
        assertThat(filter.get("message").asText()).contains("unanswered, opted_out, ai_paused");

        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("v2:1:2:3".getBytes(StandardCharsets.US_ASCII));
        for (String cursor : List.of("not-a-cursor", "%%%", forged, "x".repeat(300))) {
            JsonNode e = assertError(server.get("/api/leads?cursor=" + enc(cursor)), 400, "invalid_request");
            assertThat(e.get("message").asText()).contains("nextCursor");
        }
        assertError(server.get("/api/leads?q=" + "a".repeat(101)), 400, "invalid_request");
        assertThat(json(server.get("/api/leads?filter=&cursor=&q=")).get("leads")).hasSize(1);
    }
}
