package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.UnaryOperator;
import dev.frontdesk.sms.FrontDeskConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quiet hours hold back cold staff texts only: a customer who texted in the last 24 hours gets the answer at
 * any hour, and a number whose local time is unknown is checked only when BUSINESS_TIMEZONE is set. Through
 * real HTTP, at 00:20 UTC on the injected clock.
 */
class QuietHoursTest {
    static final String OUTBOUND = "/api/twilio/sms/outbound";
    /** libphonenumber knows no zone for +1555 numbers. */
    static final String UNKNOWN_ZONE = "+15551234567";
    /** Cape Town: Africa/Johannesburg, UTC+2 all year, so 02:20 at 00:20 UTC. */
    static final String CAPE_TOWN = "+27211234567";
    static final Instant NIGHT_UTC = Instant.parse("2026-11-28T00:20:00Z");

    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void start(UnaryOperator<FrontDeskConfig.Builder> config) {
        server = new TestServer(config, s -> s, "/*");
        at(NIGHT_UTC);
    }

    private void at(Instant target) {
        server.clock.advance(Duration.between(server.clock.instant(), target));
    }

    private int staffText(String phone) {
        return server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + phone + "\", \"message\": \"Yes, we can come tomorrow.\"}").statusCode();
    }

    @Test
    void aStaffAnswerToACustomerWhoJustTextedGoesOutAtAnyHour() {
        start(c -> c);
        server.text(UNKNOWN_ZONE, "Can someone come tomorrow?");
        server.text(CAPE_TOWN, "Can someone come tomorrow?");
        at(NIGHT_UTC.plus(Duration.ofMinutes(1)));

        assertThat(staffText(UNKNOWN_ZONE)).as("12:21 AM UTC, customer of unknown zone texting now").isEqualTo(201);
        assertThat(staffText(CAPE_TOWN)).as("2:21 AM in Cape Town, but the customer is texting now").isEqualTo(201);
        assertThat(server.gateway.sent).hasSize(2);
    }

    @Test
    void aColdTextAtTwoInTheMorningForTheCustomerIsHeldBackUntilConfirmed() {
        start(c -> c);
        var error = assertError(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CAPE_TOWN + "\", \"message\": \"Hi!\"}"),
                409, "quiet_hours");
        assertThat(error.get("message").asText()).contains("2:20 AM", "Africa/Johannesburg", "force");
        assertThat(server.gateway.sent).isEmpty();

        assertThat(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CAPE_TOWN + "\", \"message\": \"Hi!\", \"force\": true}")
                .statusCode()).isEqualTo(201);
        assertThat(server.gateway.sent).hasSize(1);
    }

    @Test
    void aCustomerWhoLastTextedMoreThanADayAgoIsColdAgain() {
        start(c -> c);
        at(NIGHT_UTC.minus(Duration.ofHours(25)));
        server.text(CAPE_TOWN, "Thanks, all fixed!");
        at(NIGHT_UTC);
        assertError(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + CAPE_TOWN + "\", \"message\": \"How is the sink?\"}"),
                409, "quiet_hours");

        at(NIGHT_UTC.minus(Duration.ofHours(23)));
        server.text(CAPE_TOWN, "One more question");
        at(NIGHT_UTC);
        assertThat(staffText(CAPE_TOWN)).as("texted 23 hours ago").isEqualTo(201);
    }

    @Test
    void withoutBusinessTimezoneAColdTextToANumberOfUnknownZoneGoesThrough() {
        start(c -> c);
        assertThat(server.frontDesk.config().business().explicitTimeZone()).isEmpty();
        assertThat(staffText(UNKNOWN_ZONE)).isEqualTo(201);
        assertThat(server.gateway.sent).hasSize(1);
    }

    @Test
    void withBusinessTimezoneSetAColdTextToANumberOfUnknownZoneIsChecked() {
        start(c -> c.businessTimeZone(ZoneId.of("Europe/Berlin")));
        var error = assertError(server.postJson(OUTBOUND, "{\"phoneNumber\": \"" + UNKNOWN_ZONE + "\", \"message\": \"Hi!\"}"),
                409, "quiet_hours");
        assertThat(error.get("message").asText()).contains("1:20 AM", "Europe/Berlin");
        assertThat(server.gateway.sent).isEmpty();
        at(Instant.parse("2026-11-28T09:00:00Z")); // 10:00 in Berlin
        assertThat(staffText(UNKNOWN_ZONE)).isEqualTo(201);
    }
}
