package dev.frontdesk.sms.spring;

import dev.frontdesk.sms.ClientSetup;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.langchain4j.LangChain4jReplyGenerator;
import dev.frontdesk.sms.spring.internal.AiChoice;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.Locale;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Replies written through the application's LangChain4j {@link ChatModel} bean (Anthropic, Gemini, Ollama, Azure
 * OpenAI, Mistral, Bedrock...): a {@link LangChain4jReplyGenerator} on it, in place of the built-in OpenAI client.
 * Ordered before {@link FrontDeskAutoConfiguration}, whose OpenAI generator then backs off.
 *
 * <p>Only with {@code frontdesk-sms-langchain4j} and {@code langchain4j-core} on the class path (the starter has
 * them as optional dependencies), exactly one {@code ChatModel} candidate (a {@code @Primary} one among several),
 * no {@link ReplyGenerator} bean of the application's (which always wins) and {@code frontdesk.ai.provider} not
 * {@code openai} (which keeps the built-in client for an application that uses its {@code ChatModel} for other
 * things). The provider the status page and the start-up log name is {@code frontdesk.ai.provider} when set, else
 * the model's own ({@link ChatModel#provider()}: {@code anthropic}, {@code ollama}, {@code gemini}...), else the
 * model's class; the model is the one the {@code ChatModel} was built with
 * ({@link ChatModel#defaultRequestParameters()}), else {@code frontdesk.ai.model}.
 */
@AutoConfiguration(before = FrontDeskAutoConfiguration.class, afterName = {
        // LangChain4j's own Spring Boot starters, where the application's ChatModel may come from
        "dev.langchain4j.openai.spring.AutoConfig",
        "dev.langchain4j.openai.spring.OpenAiAutoConfiguration",
        "dev.langchain4j.anthropic.spring.AutoConfig",
        "dev.langchain4j.anthropic.spring.AnthropicAutoConfiguration",
        "dev.langchain4j.ollama.spring.AutoConfig",
        "dev.langchain4j.googleaigemini.spring.GoogleAiGeminiAutoConfiguration",
})
@ConditionalOnProperty(prefix = "frontdesk", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnClass({ChatModel.class, LangChain4jReplyGenerator.class})
@ConditionalOnSingleCandidate(ChatModel.class)
// on the class, so that the generator below does not count: evaluated once, before this class's beans exist
@ConditionalOnMissingBean(ReplyGenerator.class)
@Conditional(FrontDeskLangChain4jAutoConfiguration.NotTheBuiltInClient.class)
@EnableConfigurationProperties(FrontDeskProperties.class)
public class FrontDeskLangChain4jAutoConfiguration {
    /** What the status page shows as the model when neither the model nor {@code frontdesk.ai.model} names it. */
    static final String UNNAMED_MODEL = "unnamed";

    /** Creates the auto-configuration; Spring Boot does. */
    public FrontDeskLangChain4jAutoConfiguration() {
    }

    /** The provider and model in force, which {@link FrontDeskAutoConfiguration#frontDeskConfig} puts in the setup. */
    @Bean
    public AiChoice frontDeskAiChoice(ChatModel model, FrontDeskProperties properties) {
        return new AiChoice(providerName(model, properties.getAi().getProvider()), modelName(model, properties.getAi().getModel()));
    }

    /** The reply generator on the application's {@code ChatModel}, with the configuration's limits and output check. */
    @Bean
    public ReplyGenerator frontDeskChatModelReplyGenerator(ChatModel model, FrontDeskConfig config, AiChoice choice) {
        return LangChain4jReplyGenerator.builder(config, model).modelName(choice.model()).build();
    }

    /** {@code configured} when set, else the model's provider in the example app's spelling, else its class. */
    static String providerName(ChatModel model, String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip().toLowerCase(Locale.ROOT);
        }
        ModelProvider provider = model.provider();
        if (provider == null || provider == ModelProvider.OTHER) {
            return model.getClass().getSimpleName().isEmpty() ? model.getClass().getName() : model.getClass().getSimpleName();
        }
        switch (provider.name()) { // by name: a later LangChain4j may add or drop constants
            case "OPEN_AI":
                return ClientSetup.OPENAI;
            case "AZURE_OPEN_AI":
                return "azure-openai";
            case "GOOGLE_AI_GEMINI":
                return "gemini";
            default:
                return provider.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The model the {@code ChatModel} was built with, else {@code configured}, else {@value #UNNAMED_MODEL}. */
    static String modelName(ChatModel model, String configured) {
        ChatRequestParameters defaults = model.defaultRequestParameters();
        String name = defaults == null ? null : defaults.modelName();
        if (name != null && !name.isBlank()) {
            return name.strip();
        }
        return configured != null && !configured.isBlank() ? configured.strip() : UNNAMED_MODEL;
    }

    /** Matches unless {@code frontdesk.ai.provider} is {@code openai}: the built-in client was asked for by name. */
    static final class NotTheBuiltInClient extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String provider = Binder.get(context.getEnvironment()).bind("frontdesk.ai.provider", String.class).orElse("");
            if (provider.strip().equalsIgnoreCase(ClientSetup.OPENAI)) {
                return ConditionOutcome.noMatch("frontdesk.ai.provider=openai asks for the built-in OpenAI client");
            }
            return ConditionOutcome.match("frontdesk.ai.provider is not openai");
        }
    }
}
