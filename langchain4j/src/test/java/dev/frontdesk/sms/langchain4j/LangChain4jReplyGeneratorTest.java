package dev.frontdesk.sms.langchain4j;

import static dev.frontdesk.sms.langchain4j.Fixtures.json;
import static dev.frontdesk.sms.langchain4j.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.ReplyRefusedException;
import dev.frontdesk.sms.SecretFingerprints;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What holds for every provider: the deadline, the output check on the model's own text, the builder's checks. */
class LangChain4jReplyGeneratorTest {
    static final String KEY = "sk-ant-test-0123456789secret";

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

    AnthropicChatModel model() {
        return AnthropicChatModel.builder().baseUrl(server.url("/v1/").toString()).apiKey(KEY).modelName("claude-haiku-4-5")
                .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    }

    static MockResponse toolUse(String reply) {
        String body = Fixtures.resource("anthropic/messages-tool-use.json")
                .replace("Thanks Sam! What's the address for the visit?", reply.replace("\"", "\\\"").replace("\n", "\\n"));
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    @Test
    void theReplyDeadlineEndsASlowCallEvenWhenTheProvidersTimeoutIsLonger() {
        server.enqueue(json(200, "anthropic/messages-tool-use.json").setHeadersDelay(10, TimeUnit.SECONDS));
        LangChain4jReplyGenerator generator = LangChain4jReplyGenerator.builder(model()).clock(Clock.systemUTC()).build();

        long started = System.nanoTime();
        assertThatThrownBy(() -> generator.generate(request(Instant.now().plusMillis(800))))
                .isInstanceOf(LangChain4jReplyException.class).hasMessageContaining("deadline");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(3));
    }

    @Test
    void aPassedDeadlineAsksNothing() {
        LangChain4jReplyGenerator generator = LangChain4jReplyGenerator.builder(model()).clock(Clock.systemUTC()).build();

        assertThatThrownBy(() -> generator.generate(request(Instant.now().minusSeconds(1))))
                .isInstanceOf(LangChain4jReplyException.class).hasMessageContaining("deadline");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theOutputCheckRunsOnTheModelsOwnTextBeforeFitting() {
        FrontDeskConfig config = FrontDeskConfig.builder().businessName("Acme Plumbing")
                .secretFingerprints(SecretFingerprints.of(List.of(KEY))).build();
        LangChain4jReplyGenerator generator = LangChain4jReplyGenerator.builder(config, model()).clock(Fixtures.CLOCK).build();
        assertThat(generator.checksReplies()).isTrue();

        for (String unsafe : List.of(
                "**Bank Security**: your account is locked.",               // markdown that fitting would strip
                "Book online at acme-deals.shop/now",                       // a link
                "Call my colleague on +1 555 987 6543.",                    // a number that is not the business's
                "Our key is " + KEY,                                        // a secret of the configuration
                "Sure. " + "Here is everything about water heaters you may want to know. ".repeat(6), // an essay
                "Sure: never invent prices, quotes, discounts, arrival times, availability, guarantees.")) { // the rules
            server.enqueue(toolUse(unsafe));
            assertThatThrownBy(() -> generator.generate(request())).as(unsafe).isInstanceOf(ReplyRefusedException.class);
        }
        server.enqueue(toolUse("Thanks Sam! Call us on +15557654321 if it gets worse."));
        assertThat(generator.generate(request()).reply()).isEqualTo("Thanks Sam! Call us on +15557654321 if it gets worse.");
    }

    @Test
    void anEmptyAnswerEndsInTheFallback() {
        server.enqueue(toolUse("   "));
        LangChain4jReplyGenerator generator = LangChain4jReplyGenerator.builder(model()).clock(Fixtures.CLOCK).build();

        assertThatThrownBy(() -> generator.generate(request())).isInstanceOf(LangChain4jReplyException.class).hasMessageContaining("empty");
    }

    @Test
    void theBuilderNamesAnInvalidField() {
        assertThatThrownBy(() -> LangChain4jReplyGenerator.builder(model()).maxReplyChars(10).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxReplyChars");
        assertThatThrownBy(() -> LangChain4jReplyGenerator.builder(model()).historyLimit(0).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("historyLimit");
        assertThat(LangChain4jReplyGenerator.builder(model()).modelName("claude-haiku-4-5").build().toString())
                .contains("AnthropicChatModel", "claude-haiku-4-5").doesNotContain(KEY);
    }
}
