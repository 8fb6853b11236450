package com.example.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The hand-wired host over real HTTP: a signed webhook is acknowledged, stored and answered through the console gateway. */
class DeskServerTest {
    private static final String TOKEN = "servlet-sample-token";
    private static final String PUBLIC = "https://desk.example.test";

    @Test
    void aSignedWebhookIsAcknowledgedStoredAndAnswered() throws Exception {
        try (DeskServer app = DeskServer.start(Map.of("PORT", "0", "TWILIO_AUTH_TOKEN", TOKEN, "PUBLIC_BASE_URL", PUBLIC,
                "FRONTDESK_API_KEY", "staff-key"))) {
            HttpClient http = HttpClient.newHttpClient();
            Map<String, String> form = new LinkedHashMap<>();
            form.put("MessageSid", "SM" + "d".repeat(32));
            form.put("From", "+15551234567");
            form.put("To", "+15557654321");
            form.put("Body", "Can you come Tuesday?");
            String path = "/sms/api/twilio/sms/inbound";
            String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            HttpResponse<String> ack = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", TwilioSignatures.sign(TOKEN, PUBLIC + path, form))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ack.statusCode());
            assertTrue(ack.body().contains("<Response/>"), ack.body());

            Instant deadline = Instant.now().plusSeconds(60);
            String messages = "";
            while (Instant.now().isBefore(deadline) && !messages.contains("\"simulated\"")) {
                Thread.sleep(100);
                messages = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/sms/api/leads/1/sms"))
                        .header("Authorization", "Bearer staff-key").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(messages.contains("Can you come Tuesday?"), messages);
            assertTrue(messages.contains("\"simulated\""), messages);
        }
    }
}
