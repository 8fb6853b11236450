package com.example.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The sample as Twilio and staff see it: a signed webhook over HTTP is acknowledged, stored and answered (simulated). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "frontdesk.twilio.auth-token=sample-signing-token",
        "frontdesk.public-base-url=https://desk.example.test",
        "frontdesk.api-key=sample-staff-key",
        "spring.datasource.url=jdbc:h2:mem:sample;DB_CLOSE_DELAY=-1"})
class DeskApplicationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSignedWebhookIsAcknowledgedStoredAndAnswered() throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", "SM" + "c".repeat(32));
        form.put("From", "+15551234567");
        form.put("To", "+15557654321");
        form.put("Body", "Do you fix boilers?");
        String path = "/sms/api/twilio/sms/inbound";
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> ack = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignatures.sign("sample-signing-token", "https://desk.example.test" + path, form))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("<Response/>");

        JsonNode leads = get("/sms/api/leads");
        assertThat(leads.path("leads").get(0).path("phoneNumber").asText()).isEqualTo("+15551234567");
        long leadId = leads.path("leads").get(0).path("id").asLong();

        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode messages = get("/sms/api/leads/" + leadId + "/sms").path("messages");
        // The reply is recorded (pending) before it is handed to the gateway, and marked simulated after: wait for both.
        while ((messages.size() < 2 || "pending".equals(messages.get(1).path("status").asText()))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            messages = get("/sms/api/leads/" + leadId + "/sms").path("messages");
        }
        assertThat(messages.get(0).path("body").asText()).isEqualTo("Do you fix boilers?");
        assertThat(messages.get(1).path("direction").asText()).isEqualTo("outbound");
        assertThat(messages.get(1).path("status").asText()).isEqualTo("simulated");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer sample-staff-key").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
