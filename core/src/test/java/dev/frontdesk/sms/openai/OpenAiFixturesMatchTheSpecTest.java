package dev.frontdesk.sms.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The OpenAI response fixtures have the shape of OpenAI's own description
 * ({@code ../shared/oracles/openai-openapi.yaml}, schema {@code CreateChatCompletionResponse}): required
 * fields, enums, and only known fields in {@code message}. Skipped when the oracle file is absent.
 */
class OpenAiFixturesMatchTheSpecTest {

    static JsonNode response;
    static JsonNode message;

    @BeforeAll
    static void readSpec() throws IOException {
        Path spec = Path.of(System.getProperty("frontdesk.oracles", "../../shared/oracles"), "openai-openapi.yaml");
        Assumptions.assumeTrue(Files.isRegularFile(spec), "OpenAI's OpenAPI description is not at " + spec.toAbsolutePath());
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(20 * 1024 * 1024);
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
        JsonNode schemas = yaml.readTree(spec.toFile()).path("components").path("schemas");
        response = schemas.path("CreateChatCompletionResponse");
        message = schemas.path("ChatCompletionResponseMessage");
        assertThat(response.isObject()).as("CreateChatCompletionResponse in the spec").isTrue();
        assertThat(message.isObject()).as("ChatCompletionResponseMessage in the spec").isTrue();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat-completion.json", "chat-completion-refusal.json", "chat-completion-null-content.json",
            "chat-completion-empty.json", "chat-completion-markdown-long.json", "chat-completion-structured.json"})
    void fixtureHasTheShapeOfCreateChatCompletionResponse(String name) throws IOException {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/openai/" + name)) {
            fixture = new ObjectMapper().readTree(in);
        }

        for (String field : texts(response.path("required"))) {
            assertThat(fixture.has(field)).as("%s has required field %s", name, field).isTrue();
        }
        assertThat(texts(response.path("properties").path("object").path("enum"))).contains(fixture.path("object").asText());
        fixture.fieldNames().forEachRemaining(f ->
                assertThat(response.path("properties").has(f)).as("%s: %s is a property of the schema", name, f).isTrue());

        JsonNode choiceSchema = response.path("properties").path("choices").path("items");
        assertThat(fixture.path("choices").isArray()).isTrue();
        for (JsonNode choice : fixture.path("choices")) {
            for (String field : texts(choiceSchema.path("required"))) {
                assertThat(choice.has(field)).as("%s choice has %s", name, field).isTrue();
            }
            assertThat(texts(choiceSchema.path("properties").path("finish_reason").path("enum")))
                    .contains(choice.path("finish_reason").asText());
            JsonNode m = choice.path("message");
            for (String field : texts(message.path("required"))) {
                assertThat(m.has(field)).as("%s message has %s", name, field).isTrue();
            }
            m.fieldNames().forEachRemaining(f ->
                    assertThat(message.path("properties").has(f)).as("%s: message.%s is in the schema", name, f).isTrue());
            assertThat(texts(message.path("properties").path("role").path("enum"))).contains(m.path("role").asText());
            assertThat(m.path("content").isTextual() || m.path("content").isNull()).isTrue();
            assertThat(m.path("refusal").isTextual() || m.path("refusal").isNull()).isTrue();
        }
    }
}
