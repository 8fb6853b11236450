package dev.frontdesk.sms.example;

import static dev.frontdesk.sms.example.TestHttp.await;
import static dev.frontdesk.sms.example.TestHttp.getJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example app with {@code AI_PROVIDER=anthropic} and {@code ollama}, each provider's real LangChain4j module aimed
 * at a MockWebServer answering as the provider's API documents it, driven over HTTP as Twilio and staff would: a signed
 * text is answered with the model's reply, its booking details and tokens are recorded, the status page names the
 * provider and model; a provider without its key, or an unknown one, stops the start.
 */
class ExampleAppAiProvidersTest {
    private static final Duration REPLY_WITHIN = Duration.ofSeconds(30);
    private static final String CUSTOMER_TEXT = "Hi, I'm Sam, my water heater is leaking";
    private static final String MODEL_REPLY = "Thanks Sam! What's the address for the visit?";
    private static final String ANTHROPIC_KEY = "sk-ant-e2e-0123456789secret";

    @TempDir
    Path dir;
    MockWebServer provider;

    @BeforeEach
    void start() throws IOException {
        provider = new MockWebServer();
        provider.start();
    }

    @AfterEach
    void stop() throws IOException {
        provider.shutdown();
    }

    private Map<String, String> env(String aiProvider) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
        env.put("BUSINESS_NAME", "Joe's Plumbing");
        env.put("FALLBACK_REPLY", "Thanks for your message! A team member will text you back shortly.");
        env.put("AI_PROVIDER", aiProvider);
        return env;
    }

    private static Map<String, String> inbound(String body) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", ConsoleSmsGateway.newSid());
        p.put("AccountSid", "AC" + "0".repeat(32));
        p.put("From", "+15551234567");
        p.put("To", "+15550001234");
        p.put("Body", body);
        p.put("NumMedia", "0");
        return p;
    }

    /** Texts the app as Twilio would and waits for the stored reply; returns the lead id and the reply. */
    private JsonNode textAndAwaitReply(ExampleApp app) throws Exception {
        String token = LocalSecrets.find(dir.resolve("data")).orElseThrow().signingToken();
        assertThat(TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH, inbound(CUSTOMER_TEXT), token).statusCode()).isEqualTo(200);
        long leadId = getJson(app, "/api/leads", app.apiKey()).path("leads").get(0).path("id").asLong();
        return await(REPLY_WITHIN, "the reply", () -> {
            JsonNode m = getJson(app, "/api/leads/" + leadId + "/sms", app.apiKey()).path("messages");
            return m.size() == 2 && "simulated".equals(m.get(1).path("status").asText()) ? m.get(1) : null;
        });
    }

    private void assertUsageAndQualification(ExampleApp app, int promptTokens, int completionTokens) throws Exception {
        JsonNode lead = getJson(app, "/api/leads", app.apiKey()).path("leads").get(0);
        assertThat(lead.path("qualification").path("name").asText()).isEqualTo("Sam");
        assertThat(lead.path("qualification").path("service").asText()).isEqualTo("leaking water heater");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode totals = getJson(app, "/api/usage?from=" + today + "&to=" + today, app.apiKey()).path("totals");
        assertThat(totals.path("aiCalls").asInt()).isEqualTo(1);
        assertThat(totals.path("promptTokens").asInt()).isEqualTo(promptTokens);
        assertThat(totals.path("completionTokens").asInt()).isEqualTo(completionTokens);
        assertThat(totals.path("estimatedCost").asDouble()).isPositive();
    }

    @Test
    void anthropicWritesTheReplyThroughAForcedToolCall() throws Exception {
        provider.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody(TestHttp.fixture("anthropic-messages-tool-use.json")));
        Map<String, String> env = env("anthropic");
        env.put("ANTHROPIC_API_KEY", ANTHROPIC_KEY);
        env.put("ANTHROPIC_BASE_URL", provider.url("/").toString());
        env.put("ANTHROPIC_MODEL", "claude-haiku-4-5");
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            JsonNode ai = getJson(app, "/api/twilio/status", app.apiKey()).path("ai");
            assertThat(ai.path("configured").asBoolean()).isTrue();
            assertThat(ai.path("provider").asText()).isEqualTo("anthropic");
            assertThat(ai.path("model").asText()).isEqualTo("claude-haiku-4-5");

            assertThat(textAndAwaitReply(app).path("body").asText()).isEqualTo(MODEL_REPLY);

            RecordedRequest sent = provider.takeRequest(5, TimeUnit.SECONDS);
            assertThat(sent.getPath()).isEqualTo("/v1/messages");
            assertThat(sent.getHeader("x-api-key")).isEqualTo(ANTHROPIC_KEY);
            JsonNode body = TestHttp.JSON.readTree(sent.getBody().readUtf8());
            assertThat(body.path("model").asText()).isEqualTo("claude-haiku-4-5");
            assertThat(body.path("system").toString()).contains("Joe's Plumbing").doesNotContain("water heater");
            assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
            assertThat(body.path("messages").get(0).toString()).contains(CUSTOMER_TEXT);
            assertThat(body.path("tools").get(0).path("name").asText()).isEqualTo("front_desk_reply");
            assertUsageAndQualification(app, 412, 57);
        }
    }

    @Test
    void ollamaWritesTheReplyUnderAJsonSchemaInFormat() throws Exception {
        provider.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody(TestHttp.fixture("ollama-chat-format.json")));
        Map<String, String> env = env("ollama");
        env.put("OLLAMA_BASE_URL", provider.url("/").toString());
        env.put("OLLAMA_MODEL", "llama3.2");
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            JsonNode ai = getJson(app, "/api/twilio/status", app.apiKey()).path("ai");
            assertThat(ai.path("provider").asText()).isEqualTo("ollama");
            assertThat(ai.path("model").asText()).isEqualTo("llama3.2");

            assertThat(textAndAwaitReply(app).path("body").asText()).isEqualTo(MODEL_REPLY);

            RecordedRequest sent = provider.takeRequest(5, TimeUnit.SECONDS);
            assertThat(sent.getPath()).isEqualTo("/api/chat");
            JsonNode body = TestHttp.JSON.readTree(sent.getBody().readUtf8());
            assertThat(body.path("model").asText()).isEqualTo("llama3.2");
            assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
            assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo(CUSTOMER_TEXT);
            assertThat(body.path("format").path("required").toString()).contains("reply", "qualification");
            assertUsageAndQualification(app, 412, 57);
        }
    }

    @Test
    void aProviderThatFailsGivesTheFallbackReply() throws Exception {
        QueueDispatcher failing = new QueueDispatcher();
        failing.setFailFast(new MockResponse().setResponseCode(529)
                .setBody("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        provider.setDispatcher(failing);
        Map<String, String> env = env("anthropic");
        env.put("ANTHROPIC_API_KEY", ANTHROPIC_KEY);
        env.put("ANTHROPIC_BASE_URL", provider.url("/").toString());
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            assertThat(textAndAwaitReply(app).path("body").asText()).isEqualTo(env.get("FALLBACK_REPLY"));
            assertThat(provider.getRequestCount()).isPositive();
        }
    }

    @Test
    void aProviderWithoutItsKeyOrAnUnknownProviderStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> ExampleApp.start(env("anthropic"), dir)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ANTHROPIC_API_KEY");
        assertThatThrownBy(() -> ExampleApp.start(env("gemini"), dir)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("GEMINI_API_KEY");
        assertThatThrownBy(() -> ExampleApp.start(env("claude"), dir)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("AI_PROVIDER").hasMessageContaining("openai, anthropic, ollama, gemini");
        Map<String, String> badUrl = env("ollama");
        badUrl.put("OLLAMA_BASE_URL", "localhost:11434");
        assertThatThrownBy(() -> ExampleApp.start(badUrl, dir)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OLLAMA_BASE_URL");
    }
}
