package dev.frontdesk.sms.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.ReplyGenerator;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real Spring Boot host on a random port with both a LangChain4j {@code ChatModel} bean (the real Anthropic
 * module on MockWebServer) and a {@link ReplyGenerator} bean of its own: the host's generator writes the reply and
 * the model is never called.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = HostReplyGeneratorOverChatModelTest.HostApp.class,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:host-generator-host;DB_CLOSE_DELAY=-1",
                "frontdesk.twilio.account-sid=" + FakeTwilio.ACCOUNT,
                "frontdesk.twilio.auth-token=" + FakeTwilio.AUTH_TOKEN,
                "frontdesk.twilio.phone-number=" + FakeTwilio.BUSINESS,
                "frontdesk.twilio.verified-numbers=" + FakeTwilio.CUSTOMER,
                "frontdesk.public-base-url=" + FakeTwilio.PUBLIC_URL,
                "frontdesk.business.name=Acme Plumbing",
        })
class HostReplyGeneratorOverChatModelTest {
    static final String HOST_REPLY = "Thanks for your text! A plumber will call you back within the hour.";

    private static final FakeTwilio TWILIO = new FakeTwilio();
    /** Answers nothing: any call to it is counted and fails the test. */
    private static final MockWebServer ANTHROPIC = new MockWebServer();

    static {
        try {
            ANTHROPIC.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void mocks(DynamicPropertyRegistry registry) {
        registry.add("frontdesk.twilio.api-base-url", TWILIO::apiBaseUrl);
    }

    @AfterAll
    static void stopMocks() throws IOException {
        TWILIO.shutdown();
        ANTHROPIC.shutdown();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HostApp {
        @Bean
        ChatModel claude() {
            return AnthropicChatModel.builder().baseUrl(ANTHROPIC.url("/v1/").toString()).apiKey("sk-ant-unused")
                    .modelName("claude-haiku-4-5").maxRetries(0).timeout(Duration.ofSeconds(2)).build();
        }

        @Bean
        ReplyGenerator hostReplies() {
            return request -> HOST_REPLY;
        }
    }

    @Autowired
    Environment environment;
    @Autowired
    ApplicationContext context;

    @Test
    void theHostsReplyGeneratorWritesTheReplyAndTheChatModelIsNotCalled() throws Exception {
        assertThat(context.getBeansOfType(ReplyGenerator.class)).containsOnlyKeys("hostReplies");

        HttpResponse<String> ack = TWILIO.text(environment.getProperty("local.server.port"), "SM" + "d".repeat(32), "Do you fix boilers?");
        assertThat(ack.statusCode()).isEqualTo(200);

        Map<String, String> reply = TWILIO.awaitSent(Duration.ofSeconds(30));
        assertThat(reply).as("a reply sent to Twilio within 30 s").isNotNull();
        assertThat(reply.get("Body")).isEqualTo(HOST_REPLY);
        assertThat(ANTHROPIC.getRequestCount()).isZero();
    }
}
