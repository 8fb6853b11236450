package dev.frontdesk.sms.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.langchain4j.LangChain4jReplyGenerator;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real Spring Boot host on a random port whose only AI is a LangChain4j {@code ChatModel} bean from the real
 * {@code langchain4j-anthropic} module, pointed at MockWebServer: a signed text is answered with what that model
 * wrote (the built-in OpenAI client, though it has a key, is never called), and the status page and the start-up
 * log name Anthropic and the model.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ChatModelHostTest.HostApp.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:chat-model-host;DB_CLOSE_DELAY=-1",
        "frontdesk.twilio.account-sid=" + FakeTwilio.ACCOUNT,
        "frontdesk.twilio.auth-token=" + FakeTwilio.AUTH_TOKEN,
        "frontdesk.twilio.phone-number=" + FakeTwilio.BUSINESS,
        "frontdesk.twilio.verified-numbers=" + FakeTwilio.CUSTOMER,
        "frontdesk.public-base-url=" + FakeTwilio.PUBLIC_URL,
        "frontdesk.api-key=staff-key",
        // OpenAI is configured too: the ChatModel bean wins over the built-in client
        "frontdesk.openai.api-key=sk-test",
        "frontdesk.business.name=Acme Plumbing",
})
@ExtendWith(OutputCaptureExtension.class)
class ChatModelHostTest {
    static final String ANTHROPIC_KEY = "sk-ant-test-0123456789secret";
    static final String MODEL = "claude-haiku-4-5";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeTwilio TWILIO = new FakeTwilio();
    private static final MockWebServer ANTHROPIC = new MockWebServer();
    private static final MockWebServer OPENAI = new MockWebServer();

    static {
        ANTHROPIC.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setHeader("Content-Type", "application/json")
                        .setBody(FakeTwilio.fixture("mocks/anthropic-messages-tool-use.json"));
            }
        });
        OPENAI.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(500).setBody("{\"error\": {\"message\": \"not this provider\"}}");
            }
        });
        try {
            ANTHROPIC.start();
            OPENAI.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void mocks(DynamicPropertyRegistry registry) {
        registry.add("frontdesk.twilio.api-base-url", TWILIO::apiBaseUrl);
        registry.add("frontdesk.openai.base-url", () -> OPENAI.url("/v1").toString());
    }

    @AfterAll
    static void stopMocks() throws IOException {
        TWILIO.shutdown();
        ANTHROPIC.shutdown();
        OPENAI.shutdown();
    }

    /** The host: a ChatModel bean, built as LangChain4j's documentation shows, and nothing else of the front desk's. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HostApp {
        @Bean
        ChatModel claude() {
            return AnthropicChatModel.builder().baseUrl(ANTHROPIC.url("/v1/").toString()).apiKey(ANTHROPIC_KEY).modelName(MODEL)
                    .maxTokens(300).maxRetries(0).timeout(Duration.ofSeconds(10)).build();
        }
    }

    @Autowired
    Environment environment;
    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aSignedTextIsAnsweredWithWhatTheChatModelWrote() throws Exception {
        assertThat(context.getBean(ReplyGenerator.class)).isInstanceOf(LangChain4jReplyGenerator.class);

        HttpResponse<String> ack = TWILIO.text(port(), "SM" + "c".repeat(32), "My water heater is leaking, I'm Sam");
        assertThat(ack.statusCode()).isEqualTo(200);

        Map<String, String> reply = TWILIO.awaitSent(Duration.ofSeconds(30));
        assertThat(reply).as("a reply sent to Twilio within 30 s").isNotNull();
        assertThat(reply.get("To")).isEqualTo(FakeTwilio.CUSTOMER);
        assertThat(reply.get("Body")).isEqualTo("Thanks Sam! What's the address for the visit?");

        // what the Anthropic module sent: Anthropic's Messages API, the key, the model, the front desk's prompt
        RecordedRequest sent = ANTHROPIC.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent).isNotNull();
        assertThat(sent.getPath()).isEqualTo("/v1/messages");
        assertThat(sent.getHeader("x-api-key")).isEqualTo(ANTHROPIC_KEY);
        JsonNode body = JSON.readTree(sent.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo(MODEL);
        assertThat(body.path("system").toString()).contains("Acme Plumbing").doesNotContain("water heater");
        JsonNode messages = body.path("messages");
        assertThat(messages.get(messages.size() - 1).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(messages.size() - 1).toString()).contains("My water heater is leaking, I'm Sam");
        assertThat(body.path("tools").get(0).path("name").asText()).isEqualTo("front_desk_reply");
        assertThat(OPENAI.getRequestCount()).isZero();

        // what the model's tool call carried besides the reply is on the lead
        JsonNode lead = JSON.readTree(staffGet("/sms/api/leads").body()).path("leads").get(0);
        assertThat(lead.path("phoneNumber").asText()).isEqualTo(FakeTwilio.CUSTOMER);
        assertThat(lead.path("qualification").path("name").asText()).isEqualTo("Sam");
    }

    @Test
    void theStatusPageNamesTheChatModelsProviderAndModel() throws Exception {
        HttpResponse<String> status = staffGet("/sms/api/twilio/status");
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode ai = JSON.readTree(status.body()).path("ai");
        assertThat(ai.path("configured").asBoolean()).isTrue();
        assertThat(ai.path("provider").asText()).isEqualTo("anthropic");
        assertThat(ai.path("model").asText()).isEqualTo(MODEL);
    }

    @Test
    void theStartUpLogNamesTheProviderAndModelAndNotTheKey(CapturedOutput output) {
        assertThat(output.getAll()).contains("🤖 AI replies: Configured (provider anthropic, model " + MODEL + ")")
                .doesNotContain(ANTHROPIC_KEY);
    }

    private HttpResponse<String> staffGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port() + path))
                .header("Authorization", "Bearer staff-key").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String port() {
        return environment.getProperty("local.server.port");
    }
}
