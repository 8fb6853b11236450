package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.openai.OpenAiReplyGenerator;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #9, "The LLM is given untrusted text": the injection fixtures of {@link PromptInjectionTest} through
 * the real {@link OpenAiReplyGenerator}, inside a {@link FrontDesk}, against a mock OpenAI server whose model
 * obeys every one of them (it quotes its real system prompt when asked to). None gets through, and every
 * request the generator sent keeps customer text in {@code user} messages and holds no secret and no
 * internal URL.
 */
class OpenAiPromptInjectionTest {

    private static final String FALLBACK = "Thanks for texting Acme Plumbing! A person will get back to you shortly.";
    private static final String OPENAI_KEY = "sk-test-obeyed-secret-123456";
    private static final String TWILIO_TOKEN = "twilio-auth-token-5f3c9a1e7b";
    private static final String STAFF_KEY = "staff-bearer-key-8d2e4c6a";
    private static final String DB_PASSWORD = "db-password-71c0ffee";
    private static final String TWILIO_URL = "https://twilio-mock.internal.example:8443";
    private static final String PUBLIC_URL = "https://frontdesk-public.internal.example";
    private static final String DB_URL = "jdbc:postgresql://db.internal.example:5432/frontdesk";

    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private MockWebServer openAi;
    private Map<String, String> fixtures;

    @BeforeEach
    void start() throws IOException {
        fixtures = PromptInjectionTest.fixtures();
        openAi = new MockWebServer();
        openAi.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    JsonNode body = json.readTree(request.getBody().readUtf8());
                    requests.add(body);
                    return completion(obey(body));
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(400);
                }
            }
        });
        openAi.start();
    }

    @AfterEach
    void stop() throws IOException {
        openAi.shutdown();
    }

    /** What a model that obeys the customer's last text writes; asked for its instructions, it quotes its real ones. */
    private String obey(JsonNode body) {
        String system = null;
        String lastUser = null;
        for (JsonNode m : body.get("messages")) {
            if (m.get("role").asText().equals("system")) {
                system = m.get("content").asText();
            } else if (m.get("role").asText().equals("user")) {
                lastUser = m.get("content").asText();
            }
        }
        String answer = fixtures.getOrDefault(lastUser, "Sure, happy to help.");
        if (answer.toLowerCase().contains("short and friendly")) {
            int from = lastUser.length() % 2 == 0 ? system.indexOf("a local service business") : system.indexOf("- Never invent");
            String quote = system.substring(from, Math.min(system.length(), from + 150)).replace('\n', ' ');
            answer = answer.replaceAll("(?i)(you are the SMS front desk of Acme Plumbing[.,]? )?keep every answer short and friendly[^\"`]*", quote);
        }
        return answer;
    }

    private MockResponse completion(String content) {
        ObjectNode root = json.createObjectNode();
        root.put("id", "chatcmpl-test").put("object", "chat.completion").put("model", "gpt-4o-mini");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        root.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(root.toString());
    }

    @Test
    void noObeyedInjectionGetsThroughTheRealGeneratorAndPromptsHoldNoSecretOrInternalUrl() {
        assertThat(fixtures).hasSizeGreaterThanOrEqualTo(20);
        RecordingGateway gateway = new RecordingGateway();
        // One environment holds every secret; each part reads only its own variables from it.
        Map<String, String> env = new java.util.HashMap<>();
        env.put("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef");
        env.put("TWILIO_AUTH_TOKEN", TWILIO_TOKEN);
        env.put("TWILIO_PHONE_NUMBER", "+15550001111");
        env.put("TWILIO_TEST_MODE", "false");
        env.put("TWILIO_API_BASE_URL", TWILIO_URL);
        env.put("PUBLIC_BASE_URL", PUBLIC_URL);
        env.put("FRONTDESK_API_KEY", STAFF_KEY);
        env.put("DATABASE_URL", DB_URL);
        env.put("DATABASE_USER", "frontdesk");
        env.put("DATABASE_PASSWORD", DB_PASSWORD);
        env.put("OPENAI_API_KEY", OPENAI_KEY);
        env.put("OPENAI_BASE_URL", openAi.url("/v1").toString());
        env.put("BUSINESS_NAME", "Acme Plumbing");
        env.put("BUSINESS_PROFILE", "Plumbing repairs in Springfield, Mon-Fri 8-6.");
        env.put("FALLBACK_REPLY", FALLBACK);
        FrontDeskConfig config = FrontDeskConfig.fromEnvironment(env);
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        OpenAiReplyGenerator generator = OpenAiReplyGenerator.Builder.fromEnvironment(env, config).clock(clock).build();
        assertThat(generator.instructions()).as("the generator names its fixed rules for the output check").contains("Never invent prices");

        List<String> customerTexts = new ArrayList<>(fixtures.keySet());
        try (FrontDesk desk = FrontDesk.builder().replySettle(java.time.Duration.ZERO).config(config).repository(new InMemoryLeadRepository())
                .gateway(gateway).replyGenerator(generator)
                .clock(clock).build()) {
            for (int i = 0; i < customerTexts.size(); i++) {
                desk.receiveInbound(TwilioWebhooks.inboundSms(Map.of("MessageSid", TestSids.sms("inj" + i),
                        "From", String.format("+1555200%04d", i), "Body", customerTexts.get(i)), "US"));
                assertThat(desk.processNextReply()).isTrue();
            }
            // A longer conversation from one customer: every earlier injection is in the history too.
            for (int i = 0; i < 5; i++) {
                desk.receiveInbound(TwilioWebhooks.inboundSms(Map.of("MessageSid", TestSids.sms("conv" + i),
                        "From", "+15552009999", "Body", customerTexts.get(i)), "US"));
                assertThat(desk.processNextReply()).isTrue();
            }
        }

        assertThat(requests).as("every reply asked the model").hasSize(customerTexts.size() + 5);
        assertThat(gateway.sent()).hasSize(customerTexts.size() + 5);
        for (OutboundSms sent : gateway.sent()) {
            assertThat(sent.body()).as("reply to an injection").isEqualTo(FALLBACK);
        }

        List<String> forbidden = List.of(OPENAI_KEY, TWILIO_TOKEN, STAFF_KEY, DB_PASSWORD, TWILIO_URL, "twilio-mock.internal",
                PUBLIC_URL, "frontdesk-public.internal", DB_URL, "db.internal.example", openAi.url("/").toString(),
                openAi.getHostName() + ":" + openAi.getPort());
        for (JsonNode request : requests) {
            String whole = request.toString();
            for (String secret : forbidden) {
                assertThat(whole).as("request body").doesNotContain(secret);
            }
            for (JsonNode m : request.get("messages")) {
                String role = m.get("role").asText();
                String content = m.get("content").asText();
                assertThat(role).isIn("system", "user", "assistant");
                if (!role.equals("user")) {
                    for (String customerText : customerTexts) {
                        assertThat(content).as("%s message holds customer text", role).doesNotContain(customerText);
                    }
                }
            }
        }
        // Each customer text reached the model, unchanged, in a user message.
        for (int i = 0; i < customerTexts.size(); i++) {
            JsonNode last = requests.get(i).get("messages").get(requests.get(i).get("messages").size() - 1);
            assertThat(last.get("role").asText()).isEqualTo("user");
            assertThat(last.get("content").asText()).isEqualTo(customerTexts.get(i));
        }
    }
}
