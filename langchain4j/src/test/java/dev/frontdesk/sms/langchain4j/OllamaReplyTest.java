package dev.frontdesk.sms.langchain4j;

import static dev.frontdesk.sms.langchain4j.Fixtures.BUSINESS_TURN;
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
import dev.langchain4j.model.ollama.OllamaChatModel;
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

/** Ollama's {@code /api/chat} through the real {@code langchain4j-ollama} module: JSON schema in {@code format}. */
class OllamaReplyTest {
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

    OllamaChatModel.OllamaChatModelBuilder model() {
        return OllamaChatModel.builder().baseUrl(server.url("/").toString()).modelName("llama3.2").maxRetries(0)
                .timeout(Duration.ofSeconds(10));
    }

    LangChain4jReplyGenerator generator(OllamaChatModel model) {
        return LangChain4jReplyGenerator.builder(model).modelName("llama3.2").clock(Fixtures.CLOCK).build();
    }

    @Test
    void sendsTheSchemaAsFormatAndReadsTheStructuredAnswerAndTokens() throws Exception {
        server.enqueue(json(200, "ollama/chat-format.json"));

        ReplyResult result = generator(model().supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).build()).generate(request());

        assertThat(result.reply()).isEqualTo("Thanks Sam! What's the address for the visit?");
        assertThat(result.qualification()).isEqualTo(Map.of(Field.NAME, "Sam", Field.SERVICE, "leaking water heater",
                Field.URGENCY, "today"));
        assertThat(result.promptTokens()).isEqualTo(412);
        assertThat(result.completionTokens()).isEqualTo(57);
        assertThat(result.model()).isEqualTo("llama3.2");

        RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/api/chat");
        JsonNode body = body(sent);
        assertThat(body.path("model").asText()).isEqualTo("llama3.2");
        assertThat(body.path("stream").asBoolean(true)).isFalse();
        JsonNode messages = body.path("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).path("content").asText()).contains("Acme Plumbing", "Answer with JSON only")
                .doesNotContain("leaking", "SYSTEM:");
        assertThat(messages.get(1).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(1).path("content").asText()).isEqualTo(CUSTOMER_FIRST);
        assertThat(messages.get(2).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).path("content").asText()).isEqualTo(BUSINESS_TURN);
        JsonNode format = body.path("format");
        assertThat(format.path("type").asText()).isEqualTo("object");
        assertThat(format.path("required").toString()).contains("reply", "qualification");
        assertThat(format.path("properties").path("qualification").path("properties").has("preferredTime")).isTrue();
        assertThat(body.path("tools").isEmpty()).isTrue();
    }

    @Test
    void withoutSchemaSupportAndWithoutForcedToolsItAsksForPlainText() throws Exception {
        // Ollama rejects a required tool choice before any request: the generator asks for plain text, then and later
        server.enqueue(json(200, "ollama/chat-text.json"));
        server.enqueue(json(200, "ollama/chat-text.json"));
        LangChain4jReplyGenerator generator = generator(model().build());

        ReplyResult first = generator.generate(request());
        ReplyResult second = generator.generate(request());

        assertThat(first.reply()).isEqualTo("Thanks Sam! What's the address for the visit?");
        assertThat(first.qualification()).isEmpty();
        assertThat(first.promptTokens()).isEqualTo(380);
        assertThat(second.reply()).isEqualTo(first.reply());
        assertThat(server.getRequestCount()).isEqualTo(2);
        JsonNode body = body(server.takeRequest(5, TimeUnit.SECONDS));
        assertThat(body.path("format").isObject() || body.path("format").asText().equals("json")).isFalse();
        assertThat(body.path("tools").isEmpty()).isTrue();
        assertThat(body.path("messages").get(0).path("content").asText()).doesNotContain("JSON", "front_desk_reply");
    }

    @Test
    void serverErrorsEndInTheFallback() {
        server.enqueue(json(404, "ollama/error-model-not-found.json"));
        server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":\"llama runner process has terminated\"}"));
        server.enqueue(new MockResponse().setResponseCode(429).setBody("{\"error\":\"server busy, please try again.\"}"));
        LangChain4jReplyGenerator generator = generator(model().supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).build());

        assertThatThrownBy(() -> generator.generate(request())).isInstanceOf(LangChain4jReplyException.class).hasMessageContaining("404");
        assertThatThrownBy(() -> generator.generate(request())).isInstanceOf(LangChain4jReplyException.class).hasMessageContaining("500");
        assertThatThrownBy(() -> generator.generate(request())).isInstanceOf(LangChain4jReplyException.class).hasMessageContaining("429");
    }
}
