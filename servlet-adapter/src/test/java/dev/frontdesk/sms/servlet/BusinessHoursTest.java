package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.BusinessHours;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** After-hours replies and quiet hours for staff texts, through the HTTP API. */
class BusinessHoursTest {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    static final String CHICAGO_CUSTOMER = "+13125550123";
    static final String LA_CUSTOMER = "+14155550123";
    static final String OUTBOUND = "/api/twilio/sms/outbound";

    TestServer server = new TestServer(c -> c.businessTimeZone(CHICAGO).businessHours(BusinessHours.parse("Mon-Fri 08:00-18:00", CHICAGO)), s -> s, "/*");

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void at(String instant) {
        Instant target = Instant.parse(instant);
        server.clock.advance(Duration.between(server.clock.instant(), target));
    }

    private String lastNotes() {
        return String.join("\n", server.aiRequests.get(server.aiRequests.size() - 1).notes());
    }

    @Test
    void afterHoursTheAiAnswersAtOnceAndSaysWhenAPersonFollowsUpOncePerClosedSpell() {
        server.ai = request -> "We can help!";
        at("2026-11-28T18:00:00Z"); // Saturday noon in Chicago
        server.text(CUSTOMER, "Water everywhere");
        server.drainReplies();
        assertThat(server.gateway.sent).hasSize(1);
        assertThat(lastNotes()).contains("outside business hours", "follow up Monday at 8:00 AM");

        at("2026-11-28T18:05:00Z");
        server.text(CUSTOMER, "Hello?");
        server.drainReplies();
        assertThat(server.gateway.sent).hasSize(2);
        assertThat(lastNotes()).contains("already been told").doesNotContain("Monday at 8:00 AM");

        at("2026-11-30T15:00:00Z"); // Monday 9:00 in Chicago: open
        server.text(CUSTOMER, "Still need help");
        server.drainReplies();
        assertThat(lastNotes()).doesNotContain("business hours");

        at("2026-12-01T01:00:00Z"); // Monday 19:00: closed again, a new closed spell
        server.text(CUSTOMER, "One more thing");
        server.drainReplies();
        assertThat(lastNotes()).contains("follow up tomorrow at 8:00 AM");
    }

    @Test
    void theFallbackReplySaysWhenAPersonFollowsUpOnceToo() {
        at("2026-11-28T18:00:00Z");
        server.text(CUSTOMER, "Water everywhere");
        server.drainReplies();
        server.text(CUSTOMER, "Hello?");
        server.drainReplies();

        String fallback = server.frontDesk.config().replies().fallback();
        assertThat(server.gateway.sent.get(0).body()).startsWith(fallback).contains("follow up Monday at 8:00 AM");
        assertThat(server.gateway.sent.get(1).body()).isEqualTo(fallback);
    }

    @Test
    void inBusinessHoursNothingIsSaidAboutHours() {
        server.ai = request -> "We can help!";
        at("2026-11-27T16:00:00Z"); // Friday 10:00 in Chicago
        server.text(CUSTOMER, "Need a plumber");
        server.drainReplies();
        assertThat(lastNotes()).doesNotContain("business hours");
        assertThat(server.gateway.sent.get(0).body()).isEqualTo("We can help!");
    }

    @Test
    void aStaffTextAtNightInTheCustomersTimeZoneNeedsConfirmation() {
        at("2026-11-27T10:00:00Z"); // 4:00 AM in Chicago
        var r = server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CHICAGO_CUSTOMER + "\", \"message\": \"Hi!\"}");
        var error = assertError(r, 409, "quiet_hours");
        assertThat(error.get("message").asText()).contains("America/Chicago", "force");
        assertThat(server.gateway.sent).isEmpty();

        var forced = server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CHICAGO_CUSTOMER + "\", \"message\": \"Hi!\", \"force\": true}");
        assertThat(forced.statusCode()).isEqualTo(201);
        assertThat(server.gateway.sent).hasSize(1);
    }

    @Test
    void theCustomersAreaCodeDecidesNotTheBusinessesTimeZone() {
        at("2026-11-27T16:00:00Z"); // 10:00 in Chicago, 8:00 in Los Angeles: both allowed
        assertThat(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + LA_CUSTOMER + "\", \"message\": \"Hi!\"}").statusCode()).isEqualTo(201);
        at("2026-11-27T15:30:00Z"); // 7:30 in Los Angeles, 9:30 in Chicago
        assertError(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + LA_CUSTOMER + "\", \"message\": \"Hi!\"}"), 409, "quiet_hours");
        assertThat(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CHICAGO_CUSTOMER + "\", \"message\": \"Hi!\"}").statusCode()).isEqualTo(201);
        at("2026-11-28T03:00:00Z"); // 21:00 in Chicago: quiet from then on
        assertError(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CHICAGO_CUSTOMER + "\", \"message\": \"Hi!\"}"), 409, "quiet_hours");
    }

    @Test
    void aNumberWithoutAKnownAreaUsesTheBusinessTimeZoneWhenItIsSet() {
        at("2026-11-27T10:00:00Z"); // 4:00 AM in Chicago, the business's zone
        assertError(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"Hi!\"}"), 409, "quiet_hours");
        at("2026-11-27T16:00:00Z");
        assertThat(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"Hi!\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void forceMustBeABoolean() {
        assertError(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"Hi!\", \"force\": \"yes\"}"),
                400, "invalid_request");
        assertThat(json(server.get("/api/leads")).get("leads")).isEmpty();
    }
}
