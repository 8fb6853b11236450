package dev.frontdesk.sms.langchain4j;

import static dev.frontdesk.sms.langchain4j.Fixtures.CUSTOMER_FIRST;
import static dev.frontdesk.sms.langchain4j.Fixtures.body;
import static dev.frontdesk.sms.langchain4j.Fixtures.json;
import static dev.frontdesk.sms.langchain4j.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.Qualification.Field;
import dev.frontdesk.sms.ReplyResult;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gemini's {@code generateContent} through the real {@code langchain4j-google-ai-gemini} module: a response schema. */
class GeminiReplyTest {
    static final String KEY = "AIzaSy-test-0123456789secret";

    MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    LangChain4jReplyGenerator generator() {
        GoogleAiGeminiChatModel model = GoogleAiGeminiChatModel.builder().baseUrl(server.url("/v1beta").toString()).apiKey(KEY)
                .modelName("gemini-2.5-flash").supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).maxRetries(0)
                .timeout(Duration.ofSeconds(10)).build();
        return LangChain4jReplyGenerator.builder(model).modelName("gemini-2.5-flash").clock(Fixtures.CLOCK).build();
    }

    @Test
    void asksForJsonUnderTheSchemaWithTheInstructionsAsSystemInstruction() throws Exception {
        server.enqueue(json(200, "gemini/generate-content-json.json"));

        ReplyResult result = generator().generate(request());

        assertThat(result.reply()).isEqualTo("Thanks Sam! What's the address for the visit?");
        assertThat(result.qualification()).isEqualTo(Map.of(Field.NAME, "Sam", Field.SERVICE, "leaking water heater",
                Field.URGENCY, "today"));
        assertThat(result.promptTokens()).isEqualTo(412);
        assertThat(result.completionTokens()).isEqualTo(57);
        assertThat(result.model()).isEqualTo("gemini-2.5-flash");

        RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(sent.getHeader("x-goog-api-key")).isEqualTo(KEY);
        assertThat(sent.getPath()).doesNotContain(KEY);
        JsonNode body = body(sent);
        assertThat(body.path("systemInstruction").toString()).contains("Acme Plumbing", "Answer with JSON only")
                .doesNotContain("leaking", "SYSTEM:");
        JsonNode contents = body.path("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(0).path("role").asText()).isEqualTo("user");
        assertThat(contents.get(0).toString()).contains(CUSTOMER_FIRST);
        assertThat(contents.get(1).path("role").asText()).isEqualTo("model");
        JsonNode config = body.path("generationConfig");
        assertThat(config.path("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(config.path("responseSchema").path("required").toString()).contains("reply", "qualification");
        assertThat(config.path("responseSchema").path("properties").path("qualification").path("properties").has("preferredTime")).isTrue();
    }

    @Test
    void aBlockedAnswerEndsInTheFallback() {
        server.enqueue(json(200, "gemini/generate-content-safety.json"));

        assertThatThrownBy(() -> generator().generate(request())).isInstanceOf(LangChain4jReplyException.class);
    }

    @Test
    void quotaAndServerErrorsEndInTheFallback() {
        server.enqueue(json(429, "gemini/error-resource-exhausted.json"));
        server.enqueue(new MockResponse().setResponseCode(503).setBody("{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}"));
        LangChain4jReplyGenerator generator = generator();

        assertThatThrownBy(() -> generator.generate(request())).isInstanceOf(LangChain4jReplyException.class)
                .hasMessageContaining("429").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> generator.generate(request())).isInstanceOf(LangChain4jReplyException.class).hasMessageContaining("503");
    }
}
