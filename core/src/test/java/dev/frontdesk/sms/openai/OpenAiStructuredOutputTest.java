package dev.frontdesk.sms.openai;

import static dev.frontdesk.sms.openai.OpenAiReplyGeneratorTest.BUSINESS;
import static dev.frontdesk.sms.openai.OpenAiReplyGeneratorTest.KEY;
import static dev.frontdesk.sms.openai.OpenAiReplyGeneratorTest.LEAD;
import static dev.frontdesk.sms.openai.OpenAiReplyGeneratorTest.NOW;
import static dev.frontdesk.sms.openai.OpenAiReplyGeneratorTest.conversation;
import static dev.frontdesk.sms.openai.OpenAiReplyGeneratorTest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.Qualification.Field;
import dev.frontdesk.sms.ReplyRequest;
import dev.frontdesk.sms.ReplyResult;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link OpenAiReplyGenerator#generate}: JSON-schema structured output for the reply and the booking details. */
class OpenAiStructuredOutputTest {

    final ObjectMapper json = new ObjectMapper();
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

    OpenAiReplyGenerator generator() {
        return OpenAiReplyGenerator.builder().apiKey(KEY).baseUrl(server.url("/v1").toString()).model("gpt-4o-mini")
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).sleeper(d -> { }).build();
    }

    ReplyRequest request(List<String> notes) {
        return new ReplyRequest(BUSINESS, LEAD, conversation(), NOW.plusSeconds(20), notes);
    }

    @Test
    void asksForAStrictJsonSchemaAndReadsReplyQualificationAndTokens() throws Exception {
        server.enqueue(ok("chat-completion-structured.json"));

        ReplyResult result = generator().generate(request(List.of()));

        assertThat(result.reply()).isEqualTo("Thanks Sam! What's the address for the visit?");
        assertThat(result.qualification()).isEqualTo(Map.of(Field.NAME, "Sam", Field.SERVICE, "leaking water heater",
                Field.URGENCY, "today"));
        assertThat(result.promptTokens()).isEqualTo(412);
        assertThat(result.completionTokens()).isEqualTo(57);
        assertThat(result.model()).isEqualTo("gpt-4o-mini-2024-07-18");

        JsonNode body = json.readTree(server.takeRequest().getBody().readUtf8());
        JsonNode format = body.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        JsonNode schema = format.path("json_schema").path("schema");
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.path("required").toString()).isEqualTo("[\"reply\",\"qualification\",\"handoff\"]");
        assertThat(schema.path("properties").path("handoff").path("type").asText()).isEqualTo("boolean");
        assertThat(result.handoffRequested()).isFalse();
        JsonNode q = schema.path("properties").path("qualification");
        assertThat(q.path("required").toString()).isEqualTo("[\"name\",\"service\",\"address\",\"urgency\",\"preferredTime\"]");
        assertThat(q.path("properties").path("preferredTime").path("type").toString()).isEqualTo("[\"string\",\"null\"]");
        // customer text stays in user turns; the JSON instructions are in the system message
        JsonNode messages = body.path("messages");
        assertThat(messages.get(0).path("content").asText()).contains("Answer with JSON only", "preferredTime")
                .doesNotContain("Sam", "leaking");
        assertThat(messages.get(3).path("role").asText()).isEqualTo("user");
    }

    @Test
    void readsTheHandoffFlagWhenTheModelSaysTheCustomerAsksForAPerson() {
        String content = "{\\\"reply\\\":\\\"Sure, someone from the team will text you.\\\",\\\"qualification\\\":{},\\\"handoff\\\":true}";
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(
                "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\",\"refusal\":null},"
                        + "\"finish_reason\":\"stop\",\"logprobs\":null}]}"));

        ReplyResult result = generator().generate(request(List.of()));

        assertThat(result.reply()).isEqualTo("Sure, someone from the team will text you.");
        assertThat(result.handoffRequested()).isTrue();
    }

    @Test
    void theFrontDesksNotesGoIntoTheSystemMessage() throws Exception {
        server.enqueue(ok("chat-completion-structured.json"));

        generator().generate(request(List.of("The customer's latest message came with 2 photos.",
                "Booking details still missing: the address or area.")));

        String system = json.readTree(server.takeRequest().getBody().readUtf8()).path("messages").get(0).path("content").asText();
        assertThat(system).contains("For this reply:", "- The customer's latest message came with 2 photos.",
                "- Booking details still missing: the address or area.", "one missing item at a time");
    }

    @Test
    void aServerWithoutStructuredOutputStillGivesAReply() {
        server.enqueue(ok("chat-completion.json"));

        ReplyResult result = generator().generate(request(List.of()));

        assertThat(result.reply()).startsWith("Sorry to hear about the leak, Sam!");
        assertThat(result.qualification()).isEmpty();
        assertThat(result.promptTokens()).isEqualTo(180);
    }

    @Test
    void structuredAnswersWithoutReplyTextAreFailuresSoTheFallbackGoesOut() {
        String content = "{\\\"reply\\\":null,\\\"qualification\\\":{}}";
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(
                "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\",\"refusal\":null},"
                        + "\"finish_reason\":\"stop\",\"logprobs\":null}]}"));

        assertThatThrownBy(() -> generator().generate(request(List.of()))).isInstanceOf(OpenAiException.class);
    }

    @Test
    void refusalsStayFailures() {
        server.enqueue(ok("chat-completion-refusal.json"));
        assertThatThrownBy(() -> generator().generate(request(List.of()))).isInstanceOf(OpenAiException.class);
    }
}
