package dev.frontdesk.sms.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.ClientSetup;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SetupStatus;
import dev.frontdesk.sms.langchain4j.LangChain4jReplyGenerator;
import dev.frontdesk.sms.openai.OpenAiReplyGenerator;
import dev.frontdesk.sms.spring.internal.AiChoice;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Which reply generator a LangChain4j {@code ChatModel} bean gives, by {@code ApplicationContextRunner}: the model's
 * when there is one, the host's own {@code ReplyGenerator} over it, the built-in OpenAI client without LangChain4j
 * or when asked for by name; and the provider and model the configuration's setup (status page, start-up log) names.
 */
class ChatModelAutoConfigurationTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FrontDeskAutoConfiguration.class, FrontDeskLangChain4jAutoConfiguration.class))
            .withBean(DataSource.class, BootTestSupport::h2)
            .withPropertyValues("frontdesk.openai.api-key=sk-test");

    /** A real provider's model; never called here. */
    private static ChatModel claude() {
        return AnthropicChatModel.builder().baseUrl("http://localhost:9/v1/").apiKey("sk-ant-test").modelName("claude-haiku-4-5").build();
    }

    /** A model of no provider LangChain4j knows, naming no model. */
    static final class InHouseModel implements ChatModel {
    }

    @Test
    void aChatModelBeanWritesTheRepliesAndTheSetupNamesItsProviderAndModel() {
        runner.withBean(ChatModel.class, ChatModelAutoConfigurationTest::claude).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(ReplyGenerator.class)).isInstanceOf(LangChain4jReplyGenerator.class);
            assertThat(((LangChain4jReplyGenerator) ctx.getBean(ReplyGenerator.class)).modelName()).isEqualTo("claude-haiku-4-5");
            SetupStatus status = SetupStatus.of(ctx.getBean(FrontDesk.class).config());
            assertThat(status.aiProvider()).isEqualTo("anthropic");
            assertThat(status.aiModel()).isEqualTo("claude-haiku-4-5");
            assertThat(status.aiConfigured()).isTrue();
        });
    }

    @Test
    void theHostsReplyGeneratorWinsOverItsChatModel() {
        ReplyGenerator own = request -> "the host's";
        runner.withBean(ChatModel.class, ChatModelAutoConfigurationTest::claude).withBean(ReplyGenerator.class, () -> own).run(ctx -> {
            assertThat(ctx.getBean(ReplyGenerator.class)).isSameAs(own);
            assertThat(ctx).doesNotHaveBean(AiChoice.class);
            assertThat(ctx.getBean(FrontDeskConfig.class).setup().aiProvider()).isEqualTo(ClientSetup.OPENAI);
        });
    }

    @Test
    void providerOpenAiKeepsTheBuiltInClientBesideAChatModel() {
        runner.withBean(ChatModel.class, ChatModelAutoConfigurationTest::claude).withPropertyValues("frontdesk.ai.provider=OpenAI").run(ctx -> {
            assertThat(ctx.getBean(ReplyGenerator.class)).isInstanceOf(OpenAiReplyGenerator.class);
            assertThat(ctx.getBean(FrontDeskConfig.class).setup().aiProvider()).isEqualTo(ClientSetup.OPENAI);
        });
    }

    @Test
    void aModelOfNoKnownProviderIsNamedByItsClassAndFrontdeskAiModel() {
        runner.withBean(ChatModel.class, InHouseModel::new).withPropertyValues("frontdesk.ai.model=in-house-7b").run(ctx -> {
            assertThat(ctx.getBean(ReplyGenerator.class)).isInstanceOf(LangChain4jReplyGenerator.class);
            ClientSetup setup = ctx.getBean(FrontDeskConfig.class).setup();
            assertThat(setup.aiProvider()).isEqualTo("InHouseModel");
            assertThat(setup.aiModel()).isEqualTo("in-house-7b");
        });
        runner.withBean(ChatModel.class, InHouseModel::new).run(ctx ->
                assertThat(ctx.getBean(FrontDeskConfig.class).setup().aiModel()).isEqualTo(FrontDeskLangChain4jAutoConfiguration.UNNAMED_MODEL));
    }

    @Test
    void frontdeskAiProviderNamesTheChatModelOnTheStatusPage() {
        runner.withBean(ChatModel.class, InHouseModel::new).withPropertyValues("frontdesk.ai.provider=Ollama").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(ReplyGenerator.class)).isInstanceOf(LangChain4jReplyGenerator.class);
            assertThat(ctx.getBean(FrontDeskConfig.class).setup().aiProvider()).isEqualTo("ollama");
        });
    }

    @Test
    void twoChatModelsWithoutAPrimaryLeaveTheBuiltInClient() {
        runner.withBean("one", ChatModel.class, ChatModelAutoConfigurationTest::claude).withBean("two", ChatModel.class, InHouseModel::new)
                .run(ctx -> assertThat(ctx.getBean(ReplyGenerator.class)).isInstanceOf(OpenAiReplyGenerator.class));
    }

    @Test
    void withoutTheFrontDeskAdapterAChatModelBeanIsLeftAlone() {
        // the host uses LangChain4j for something else and has not added frontdesk-sms-langchain4j
        runner.withClassLoader(new FilteredClassLoader("dev.frontdesk.sms.langchain4j"))
                .withBean(ChatModel.class, ChatModelAutoConfigurationTest::claude).run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(ReplyGenerator.class)).isInstanceOf(OpenAiReplyGenerator.class);
                    assertThat(ctx.getBean(FrontDeskConfig.class).setup().aiProvider()).isEqualTo(ClientSetup.OPENAI);
                });
    }

    @Test
    void withoutLangChain4jOnTheClassPathTheFrontDeskStartsWithTheOpenAiClient() {
        runner.withClassLoader(new FilteredClassLoader("dev.langchain4j", "dev.frontdesk.sms.langchain4j")).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(ReplyGenerator.class)).isInstanceOf(OpenAiReplyGenerator.class);
            assertThat(ctx).doesNotHaveBean(AiChoice.class).hasSingleBean(FrontDesk.class);
        });
    }
}
