package dev.frontdesk.sms.servlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registration snippets of the README, run for real. */
class RegistrationExamplesTest {
    static final String TOKEN = "0123456789abcdef0123456789abcdef";
    static final String KEY = "example-staff-key";
    static final java.util.Map<String, String> ENV = java.util.Map.of("TWILIO_AUTH_TOKEN", TOKEN, "FRONTDESK_API_KEY", KEY);

    final HttpClient http = HttpClient.newHttpClient();
    Server server;
    FrontDesk frontDesk;

    private FrontDesk frontDesk(String publicBaseUrl) {
        SmsGateway gateway = new SmsGateway() {
            @Override public SendResult send(OutboundSms sms) { return new SendResult("SM" + "0".repeat(32), MessageStatus.QUEUED, 1, null); }
            @Override public boolean isVerified(PhoneNumber number) { return true; }
        };
        frontDesk = FrontDesk.builder()
                .config(FrontDeskConfig.builder().publicBaseUrl(publicBaseUrl).build())
                .repository(new InMemoryLeadRepository()).gateway(gateway).build();
        return frontDesk;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        frontDesk.close();
    }

    private static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> inbound(String base, String publicBase) throws Exception {
        Map<String, String> p = Map.of("MessageSid", "SM7e570000000000000000000000000001", "From", "+15551234567", "Body", "hello");
        String path = "/api/twilio/sms/inbound";
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignatures.sign(TOKEN, publicBase + path, p))
                .POST(HttpRequest.BodyPublishers.ofString("MessageSid=SM7e570000000000000000000000000001&From=%2B15551234567&Body=hello")).build());
    }

    @Test
    void embeddedJettyServesTheApiAtTheRoot() throws Exception {
        server = JettyExample.start(frontDesk("https://abc123.ngrok.io"), 0, ENV);
        String base = "http://127.0.0.1:" + port(server);

        assertThat(inbound(base, "https://abc123.ngrok.io").statusCode()).isEqualTo(200);
        HttpResponse<String> leads = send(HttpRequest.newBuilder(URI.create(base + "/api/leads"))
                .header("Authorization", "Bearer " + KEY).build());
        assertThat(leads.statusCode()).isEqualTo(200);
        assertThat(leads.body()).contains("+15551234567");
    }

    @Test
    void servletContextListenerMountsTheApiUnderAPrefix() throws Exception {
        FrontDesk desk = frontDesk("https://example.com/app/sms");
        server = new Server(0);
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addEventListener(new FrontDeskListener(() -> desk, ENV));
        server.setHandler(context);
        server.start();
        String base = "http://127.0.0.1:" + port(server) + "/app/sms";

        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build()).statusCode()).isEqualTo(200);
        assertThat(inbound(base, "https://example.com/app/sms").statusCode()).isEqualTo(200);
        HttpResponse<String> status = send(HttpRequest.newBuilder(URI.create(base + "/api/twilio/status"))
                .header("Authorization", "Bearer " + KEY).build());
        assertThat(status.body()).contains("\"inboundWebhookUrl\":\"https://example.com/app/sms/api/twilio/sms/inbound\"");
        HttpResponse<String> outside = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(server) + "/app/api/health")).build());
        assertThat(outside.statusCode()).as("nothing outside the mount point").isEqualTo(404);
    }
}
