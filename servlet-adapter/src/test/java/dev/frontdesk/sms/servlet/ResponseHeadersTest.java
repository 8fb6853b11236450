package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Headers that keep a browser from treating a JSON answer as anything else. */
class ResponseHeadersTest {

    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void everyJsonAnswerAndErrorForbidsSniffingAndLoadsNothing() {
        server.text(CUSTOMER, "Hi");
        long leadId = server.leadJson(CUSTOMER).get("id").asLong();
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        answers.put("health 200", server.send(HttpRequest.newBuilder(server.local("/api/health")).GET().build()));
        answers.put("leads 200", server.get("/api/leads"));
        answers.put("history 200", server.get("/api/leads/" + leadId + "/sms"));
        answers.put("usage 200", server.get("/api/usage"));
        answers.put("setup 200", server.get("/api/twilio/status"));
        answers.put("outbound 201", server.postJson("/api/twilio/sms/outbound",
                "{\"leadId\": " + leadId + ", \"message\": \"On our way\"}"));
        answers.put("lead 404", server.get("/api/leads/999/sms"));
        answers.put("usage 400", server.get("/api/usage?from=%2B999999999-12-01"));
        answers.put("staff 401", server.send(HttpRequest.newBuilder(server.local("/api/leads")).GET().build()));
        answers.put("path 404", server.get("/api/nothing-here"));
        answers.put("method 405", server.get(FrontDeskConfig.INBOUND_PATH));
        answers.put("json 415", server.send(HttpRequest.newBuilder(server.local("/api/twilio/sms/outbound"))
                .header("Authorization", "Bearer " + TestServer.API_KEY).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hi")).build()));
        answers.put("webhook 403", server.postForm(FrontDeskConfig.INBOUND_PATH, "From=%2B15551234567", null));
        answers.put("webhook 413", OneShotHttp.post(server.local(FrontDeskConfig.INBOUND_PATH),
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                ("Body=" + "x".repeat(70 * 1024)).getBytes(StandardCharsets.UTF_8)));

        answers.forEach((what, r) -> {
            assertThat(r.statusCode()).as(what).isEqualTo(Integer.parseInt(what.substring(what.length() - 3)));
            assertThat(r.headers().firstValue("Content-Type")).as(what).hasValue("application/json");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(what).hasValue("default-src 'none'");
        });
    }
}
