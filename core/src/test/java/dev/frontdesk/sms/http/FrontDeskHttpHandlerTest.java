package dev.frontdesk.sms.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.RecordingGateway;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler without any container: the servlet is only an adapter. */
class FrontDeskHttpHandlerTest {
    final FrontDesk frontDesk = FrontDesk.builder()
            .config(FrontDeskConfig.builder().publicBaseUrl("https://desk.example.com/").build())
            .repository(new InMemoryLeadRepository()).gateway(new RecordingGateway()).build();

    @AfterEach
    void close() {
        frontDesk.close();
    }

    record FakeRequest(String method, String path, String rawQuery, Map<String, String> headers, byte[] bytes, boolean failingBody)
            implements HttpRequest {
        FakeRequest(String method, String path, Map<String, String> headers, String body) {
            this(method, path, null, headers, body.getBytes(StandardCharsets.UTF_8), false);
        }

        @Override
        public String header(String name) {
            Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ci.putAll(headers);
            return ci.get(name);
        }

        @Override
        public long contentLength() {
            return -1;
        }

        @Override
        public InputStream body() throws IOException {
            if (failingBody) {
                throw new IOException("client went away");
            }
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public String requestUrl() {
            return "http://10.0.0.5:8080" + path;
        }
    }

    @Test
    void answersWithoutAContainer() {
        FrontDeskHttpHandler handler = FrontDeskHttpHandler.builder(frontDesk).signingToken("token").apiKey("key").build();
        HttpResponse r = handler.handle(new FakeRequest("get", "/api/leads", Map.of("authorization", "Bearer key"), ""));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.bodyText()).isEqualTo("{\"leads\":[],\"nextCursor\":null}");
        assertThat(handler.publicBaseUrl()).isEqualTo("https://desk.example.com");
    }

    @Test
    void unreadableBodyIs400NotAnException() {
        FrontDeskHttpHandler handler = FrontDeskHttpHandler.builder(frontDesk).signingToken("token").apiKey("key").build();
        HttpResponse r = handler.handle(new FakeRequest("POST", "/api/twilio/sms/outbound", null,
                Map.of("Authorization", "Bearer key", "Content-Type", "application/json"), new byte[0], true));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).contains("\"code\":\"invalid_request\"");
    }

    @Test
    void authorizerThatThrowsIs500WithoutDetails() {
        FrontDeskHttpHandler handler = FrontDeskHttpHandler.builder(frontDesk).authorizer(request -> {
            throw new IllegalStateException("session store password=hunter2 unreachable");
        }).build();
        HttpResponse r = handler.handle(new FakeRequest("GET", "/api/leads", Map.of(), ""));
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).contains("\"code\":\"internal_error\"").doesNotContain("hunter2").doesNotContain("Exception");
    }

    @Test
    void unwrapOfAnUnknownTypeSaysSo() {
        FakeRequest request = new FakeRequest("GET", "/", Map.of(), "");
        assertThatThrownBy(() -> request.unwrap(String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void builderNamesTheWrongSetting() {
        assertThatThrownBy(() -> FrontDeskHttpHandler.builder(frontDesk).apiKey("a").authorizer(StaffAuthorizer.DENY_ALL).build())
                .hasMessageContaining("apiKey or authorizer");
        assertThatThrownBy(() -> FrontDeskHttpHandler.builder(frontDesk).apiKey(" ").build()).hasMessageContaining("apiKey");
        assertThatThrownBy(() -> FrontDeskHttpHandler.builder(frontDesk).signingToken("").build()).hasMessageContaining("signingToken");
        assertThatThrownBy(() -> FrontDeskHttpHandler.builder(frontDesk).publicBaseUrl("abc123.ngrok.io").build())
                .hasMessageContaining("publicBaseUrl");
        assertThatThrownBy(() -> FrontDeskHttpHandler.builder(frontDesk).publicBaseUrl("https://x.io/?a=1").build())
                .hasMessageContaining("publicBaseUrl");
        assertThatThrownBy(() -> FrontDeskHttpHandler.builder(frontDesk).maxWebhookBytes(10).build()).hasMessageContaining("maxWebhookBytes");
        assertThatThrownBy(() -> FrontDeskHttpHandler.builder(frontDesk).maxJsonBytes(0).build()).hasMessageContaining("maxJsonBytes");
        assertThatThrownBy(() -> FrontDeskHttpHandler.builder(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("frontDesk");
    }

    @Test
    void forwardedHeadersAreIgnoredUnlessTrustedAndCheckedWhenTrusted() {
        FakeRequest proxied = new FakeRequest("POST", "/api/twilio/sms/inbound", "a=1",
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "public.example.com"), new byte[0], false);
        assertThat(FrontDeskHttpHandler.builder(frontDesk).signingToken("token").apiKey("key").build().webhookUrl(proxied))
                .isEqualTo("https://desk.example.com/api/twilio/sms/inbound?a=1");
        FrontDeskHttpHandler trusting = FrontDeskHttpHandler.builder(frontDesk).trustForwardedHeaders(true).build();
        assertThat(trusting.webhookUrl(proxied)).isEqualTo("https://public.example.com/api/twilio/sms/inbound?a=1");

        FakeRequest hostile = new FakeRequest("POST", "/api/twilio/sms/inbound", null,
                Map.of("X-Forwarded-Proto", "javascript", "X-Forwarded-Host", "evil.example.com/path"), new byte[0], false);
        assertThat(trusting.webhookUrl(hostile)).as("malformed host falls back to the base URL")
                .isEqualTo("https://desk.example.com/api/twilio/sms/inbound");
        FakeRequest oddProto = new FakeRequest("POST", "/api/twilio/sms/inbound", null,
                Map.of("X-Forwarded-Proto", "javascript", "X-Forwarded-Host", "public.example.com:8443"), new byte[0], false);
        assertThat(trusting.webhookUrl(oddProto)).isEqualTo("http://public.example.com:8443/api/twilio/sms/inbound");
    }
}
