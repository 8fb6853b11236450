package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.Qualification.Field;
import dev.frontdesk.sms.ReplyResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lead qualification: read by the AI, edited by staff, never overwritten; the AI asks for what is missing. */
class QualificationTest {

    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void aiReads(Map<Field, String> fields) {
        server.aiResults(request -> new ReplyResult("Thanks! What's the address?", fields, 100, 20, "gpt-4o-mini"));
    }

    private long leadId() {
        return server.leadJson(CUSTOMER).get("id").asLong();
    }

    @Test
    void whatTheAiReadsIsStoredOnTheLeadAndShownInItsJson() {
        Map<Field, String> read = new LinkedHashMap<>();
        read.put(Field.NAME, "Sam");
        read.put(Field.SERVICE, "leaking water heater");
        read.put(Field.URGENCY, "today");
        aiReads(read);
        server.text(CUSTOMER, "Hi I'm Sam, my water heater is leaking, need someone today");
        server.drainReplies();

        JsonNode q = server.leadJson(CUSTOMER).get("qualification");
        assertThat(StaffApiTest.fields(q)).containsExactly("name", "service", "address", "urgency", "preferredTime");
        assertThat(q.get("name").asText()).isEqualTo("Sam");
        assertThat(q.get("service").asText()).isEqualTo("leaking water heater");
        assertThat(q.get("address").isNull()).isTrue();
        assertThat(q.get("urgency").asText()).isEqualTo("today");
        assertThat(q.get("preferredTime").isNull()).isTrue();
    }

    @Test
    void theAiIsToldWhatIsStillMissingAndToAskOneThingAtATime() {
        aiReads(Map.of(Field.NAME, "Sam", Field.SERVICE, "leak"));
        server.text(CUSTOMER, "Hi, my water heater is leaking");
        server.drainReplies();
        String first = String.join("\n", server.aiRequests.get(0).notes());
        assertThat(first).contains("their name", "the service they need", "the address or area", "how urgent it is",
                "when they would like someone to come", "one question per message");

        server.text(CUSTOMER, "Sam here");
        server.drainReplies();
        String second = String.join("\n", server.aiRequests.get(1).notes());
        assertThat(second).contains("the address or area").doesNotContain("their name", "the service they need");
        assertThat(second).doesNotContain("Sam", "leak"); // known values are customer text: never in the instructions
    }

    @Test
    void aStaffEditIsNeverOverwrittenByTheAi() {
        server.text(CUSTOMER, "hello");
        long id = leadId();

        var r = server.patchJson("/api/leads/" + id, "{\"qualification\": {\"name\": \"Samantha Lee\", \"address\": \"12 Elm St\"}}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode q = json(r).get("lead").get("qualification");
        assertThat(q.get("name").asText()).isEqualTo("Samantha Lee");
        assertThat(q.get("address").asText()).isEqualTo("12 Elm St");

        aiReads(Map.of(Field.NAME, "Sam", Field.ADDRESS, "somewhere else", Field.PREFERRED_TIME, "Monday morning"));
        server.text(CUSTOMER, "I'm Sam, come Monday morning");
        server.drainReplies();

        JsonNode after = server.leadJson(CUSTOMER).get("qualification");
        assertThat(after.get("name").asText()).isEqualTo("Samantha Lee");
        assertThat(after.get("address").asText()).isEqualTo("12 Elm St");
        assertThat(after.get("preferredTime").asText()).isEqualTo("Monday morning");

        // clearing by staff sticks too
        server.patchJson("/api/leads/" + id, "{\"qualification\": {\"preferredTime\": null}}");
        server.text(CUSTOMER, "Monday morning please");
        server.drainReplies();
        assertThat(server.leadJson(CUSTOMER).get("qualification").get("preferredTime").isNull()).isTrue();
    }

    @Test
    void editingRefusesBadRequests() {
        server.text(CUSTOMER, "hello");
        String path = "/api/leads/" + leadId();
        assertError(server.patchJson("/api/leads/999999", "{\"qualification\": {\"name\": \"A\"}}"), 404, "lead_not_found");
        assertError(server.patchJson(path, "{\"qualification\": {\"phone\": \"A\"}}"), 400, "invalid_request");
        assertError(server.patchJson(path, "{\"qualification\": {\"name\": 5}}"), 400, "invalid_request");
        assertError(server.patchJson(path, "{\"qualification\": {\"name\": \"" + "x".repeat(256) + "\"}}"), 400, "invalid_request");
        assertError(server.patchJson(path, "{\"name\": \"A\"}"), 400, "invalid_request");
        assertError(server.patchJson(path, "{\"qualification\": \"A\"}"), 400, "invalid_request");
        assertError(server.send(java.net.http.HttpRequest.newBuilder(server.local(path))
                .header("Authorization", "Bearer " + TestServer.API_KEY).DELETE().build()), 405, "method_not_allowed");
        for (String field : List.of("name", "service", "address", "urgency", "preferredTime")) {
            assertThat(server.leadJson(CUSTOMER).get("qualification").get(field).isNull()).isTrue();
        }
    }
}
