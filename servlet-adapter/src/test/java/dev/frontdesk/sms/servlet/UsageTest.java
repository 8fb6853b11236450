package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static dev.frontdesk.sms.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.ReplyResult;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/usage} and the monthly budget, through the HTTP API. */
class UsageTest {

    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void aiAnswersWithTokens() {
        server.aiResults(request -> new ReplyResult("Happy to help!", Map.of(), 1000, 200, "gpt-4o-mini-2024-07-18"));
    }

    /** Day 1 (Nov 27): a text, an AI reply, a staff text. Day 2: a text and the fallback reply. */
    private void twoDaysOfTexts() {
        aiAnswersWithTokens();
        server.text(CUSTOMER, "Need a plumber");
        server.drainReplies();
        long id = server.leadJson(CUSTOMER).get("id").asLong();
        server.postJson("/api/twilio/sms/outbound", "{\"leadId\": " + id + ", \"message\": \"Bob here\", \"force\": true}");
        server.clock.advance(Duration.ofDays(1));
        server.postJson("/api/leads/" + id + "/ai", "{\"enabled\": true}");
        server.aiResults(request -> ReplyResult.of(null));
        server.text(CUSTOMER, "Hello?");
        server.drainReplies();
    }

    @Test
    void usageGivesCountsSegmentsAiCallsAndCostPerDayAndInTotal() {
        twoDaysOfTexts();

        var r = server.get("/api/usage?from=2026-11-26&to=2026-11-28");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        JsonNode days = body.get("days");
        assertThat(days).hasSize(3);
        assertThat(days.get(0).get("date").asText()).isEqualTo("2026-11-26");
        assertThat(days.get(0).get("inbound").asLong()).isZero();
        assertThat(days.get(0).get("estimatedCost").decimalValue()).isEqualByComparingTo("0");

        JsonNode d1 = days.get(1);
        assertThat(d1.get("date").asText()).isEqualTo("2026-11-27");
        assertThat(d1.get("inbound").asLong()).isEqualTo(1);
        assertThat(d1.get("outbound").asLong()).isEqualTo(2);
        assertThat(d1.get("segments").asLong()).isEqualTo(3);
        assertThat(d1.get("aiCalls").asLong()).isEqualTo(1);
        assertThat(d1.get("promptTokens").asLong()).isEqualTo(1000);
        assertThat(d1.get("completionTokens").asLong()).isEqualTo(200);
        // 2 outbound segments x $0.0075 + 1,000 x $0.15/M + 200 x $0.60/M; inbound is free
        assertThat(d1.get("estimatedCost").decimalValue()).isEqualByComparingTo("0.0153");

        JsonNode d2 = days.get(2);
        assertThat(d2.get("inbound").asLong()).isEqualTo(1);
        assertThat(d2.get("outbound").asLong()).isEqualTo(1);
        assertThat(d2.get("aiCalls").asLong()).isEqualTo(1);
        assertThat(d2.get("estimatedCost").decimalValue()).isEqualByComparingTo("0.0075");

        JsonNode totals = body.get("totals");
        assertThat(totals.get("date").isNull()).isTrue();
        assertThat(totals.get("inbound").asLong()).isEqualTo(2);
        assertThat(totals.get("outbound").asLong()).isEqualTo(3);
        assertThat(totals.get("segments").asLong()).isEqualTo(5);
        assertThat(totals.get("aiCalls").asLong()).isEqualTo(2);
        assertThat(totals.get("estimatedCost").decimalValue()).isEqualByComparingTo("0.0228");
    }

    @Test
    void pricesComeFromTheConfiguration() throws Exception {
        server.close();
        server = new TestServer(c -> c.priceOutboundSegment(new BigDecimal("0.01")).priceInboundSegment(new BigDecimal("0.005"))
                .priceAiInputPerMillionTokens(BigDecimal.ZERO).priceAiOutputPerMillionTokens(BigDecimal.ZERO), s -> s, "/*");
        twoDaysOfTexts();
        JsonNode totals = json(server.get("/api/usage?from=2026-11-27&to=2026-11-28")).get("totals");
        assertThat(totals.get("estimatedCost").decimalValue()).isEqualByComparingTo("0.04"); // 3 x 0.01 + 2 x 0.005
    }

    @Test
    void withoutDatesUsageCoversTheLastThirtyDays() {
        JsonNode body = json(server.get("/api/usage"));
        assertThat(body.get("days")).hasSize(30);
        assertThat(body.get("days").get(29).get("date").asText()).isEqualTo("2026-11-27");
    }

    @Test
    void reachingTheMonthlyBudgetStopsAiRepliesAndTheStatusSaysSo() throws Exception {
        server.close();
        server = new TestServer(c -> c.monthlyBudget(new BigDecimal("0.01")), s -> s, "/*");
        JsonNode before = json(server.get("/api/twilio/status")).get("budget");
        assertThat(before.get("monthlyUsd").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(before.get("reached").asBoolean()).isFalse();

        aiAnswersWithTokens();
        server.text(CUSTOMER, "Need a plumber");
        server.drainReplies();
        server.text(CUSTOMER, "Are you there?");
        server.drainReplies();
        server.text(CUSTOMER, "Hello??");
        server.drainReplies();

        assertThat(server.aiRequests).hasSize(2); // 2 x 0.0075 + tokens passes $0.01 after the second reply
        assertThat(server.gateway.sent).hasSize(3);
        assertThat(server.gateway.sent.get(2).body()).isEqualTo(server.frontDesk.config().replies().fallback());
        JsonNode after = json(server.get("/api/twilio/status")).get("budget");
        assertThat(after.get("reached").asBoolean()).isTrue();
        assertThat(after.get("spentUsd").decimalValue()).isGreaterThanOrEqualTo(new BigDecimal("0.01"));
        assertThat(server.meters.get("frontdesk.replies.fallback").tag("reason", "budget").counter().count()).isEqualTo(1.0);

        server.clock.advance(Duration.ofDays(4)); // December: a new month, a new budget
        server.text(CUSTOMER, "New month");
        server.drainReplies();
        assertThat(server.aiRequests).hasSize(3);
    }

    @Test
    void withoutABudgetTheStatusSaysNoneAndNothingIsReached() {
        JsonNode budget = json(server.get("/api/twilio/status")).get("budget");
        assertThat(budget.get("monthlyUsd").isNull()).isTrue();
        assertThat(budget.get("reached").asBoolean()).isFalse();
        assertThat(budget.get("spentUsd").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void usageRefusesBadDates() {
        assertError(server.get("/api/usage?from=yesterday&to=2026-11-27"), 400, "invalid_request");
        assertError(server.get("/api/usage?from=2026-11-27&to=2026-11-01"), 400, "invalid_request");
        assertError(server.get("/api/usage?from=2024-01-01&to=2026-11-27"), 400, "invalid_request");
        assertError(server.send(HttpRequest.newBuilder(server.local("/api/usage")).GET().build()), 401, "unauthorized");
        assertError(server.postJson("/api/usage", "{}"), 405, "method_not_allowed");
    }

    @Test
    void outOfRangeDatesAre400NamingTheParameterNot500() {
        Map<String, String> naming = new java.util.LinkedHashMap<>();
        naming.put("?from=%2B999999999-12-01&to=%2B999999999-12-31", "to");
        naming.put("?from=%2B999999999-12-01&to=2026-11-27", "from");
        naming.put("?from=2026-11-01&to=%2B999999999-12-31", "to");
        naming.put("?to=%2B999999999-12-31", "to");
        naming.put("?to=-999999999-01-01", "to");
        naming.put("?from=-999999999-01-01&to=2026-11-27", "from");
        naming.put("?from=0000-12-31&to=0001-01-05", "from");
        naming.put("?from=2026-02-30&to=2026-11-27", "from");
        naming.put("?from=2026-11-01&to=10000-01-01", "to");
        naming.put("?from=%2B2026-11-01&to=2026-11-27", "from");
        naming.forEach((query, parameter) -> {
            JsonNode error = assertError(server.get("/api/usage" + query), 400, "invalid_request");
            assertThat(error.get("message").asText()).as(query).startsWith(parameter + " must be a date");
        });
        assertThat(server.get("/api/usage?from=0001-01-01&to=0001-01-05").statusCode()).isEqualTo(200);
        assertThat(server.get("/api/usage?from=9999-12-01&to=9999-12-31").statusCode()).isEqualTo(200);
    }
}
