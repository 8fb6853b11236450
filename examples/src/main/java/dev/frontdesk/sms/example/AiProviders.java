package dev.frontdesk.sms.example;

import dev.frontdesk.sms.ClientSetup;
import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.internal.EnvReader;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.langchain4j.LangChain4jReplyGenerator;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The AI provider the app writes replies with ({@code AI_PROVIDER}): {@code openai}, the built-in client (no
 * LangChain4j on that path), or {@code anthropic}, {@code ollama}, {@code gemini} through LangChain4j, each with its
 * own variables. Read once at start: a provider named without its key, or an unknown provider, stops the start with
 * an error naming the variable.
 */
final class AiProviders {
    static final List<String> CHOICES = List.of("openai", "anthropic", "ollama", "gemini");
    static final String ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
    static final String ANTHROPIC_DEFAULT_MODEL = "claude-haiku-4-5";
    static final String OLLAMA_DEFAULT_BASE_URL = "http://localhost:11434";
    static final String OLLAMA_DEFAULT_MODEL = "llama3.2";
    static final String GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
    static final String GEMINI_DEFAULT_MODEL = "gemini-2.5-flash";
    /** The model's own retries of a failed call (429, 5xx), all within the reply deadline. */
    private static final int MODEL_RETRIES = 1;

    private AiProviders() {
    }

    /**
     * {@code config} with its setup naming the provider and model in force (the status page, the start-up line and
     * usage records read them).
     *
     * @throws ConfigurationException for an unknown {@code AI_PROVIDER} or a provider named without its key
     */
    static FrontDeskConfig withChoice(Map<String, String> env, FrontDeskConfig config) {
        EnvReader r = new EnvReader(env);
        String provider = provider(r);
        ClientSetup setup = config.setup();
        switch (provider) {
            case "openai":
                return config;
            case "anthropic":
                require(r, provider, "ANTHROPIC_API_KEY");
                r.url("ANTHROPIC_BASE_URL", ANTHROPIC_DEFAULT_BASE_URL);
                return config.toBuilder().setup(setup.withAi(provider, r.getOr("ANTHROPIC_MODEL", ANTHROPIC_DEFAULT_MODEL), true)).build();
            case "ollama":
                r.url("OLLAMA_BASE_URL", OLLAMA_DEFAULT_BASE_URL);
                return config.toBuilder().setup(setup.withAi(provider, r.getOr("OLLAMA_MODEL", OLLAMA_DEFAULT_MODEL), true)).build();
            default: // gemini
                require(r, provider, "GEMINI_API_KEY");
                r.url("GEMINI_BASE_URL", GEMINI_DEFAULT_BASE_URL);
                return config.toBuilder().setup(setup.withAi(provider, r.getOr("GEMINI_MODEL", GEMINI_DEFAULT_MODEL), true)).build();
        }
    }

    /** The reply generator of the provider {@link #withChoice} put in {@code config}'s setup. */
    static ReplyGenerator generator(Map<String, String> env, FrontDeskConfig config) {
        String provider = config.setup().aiProvider();
        if (provider.equals(ClientSetup.OPENAI)) {
            return Components.replyGenerator(env, config);
        }
        EnvReader r = new EnvReader(env);
        String model = config.setup().aiModel();
        Duration timeout = config.replies().aiTimeout();
        ChatModel chat;
        switch (provider) {
            case "anthropic":
                chat = AnthropicChatModel.builder().apiKey(r.get("ANTHROPIC_API_KEY"))
                        .baseUrl(r.url("ANTHROPIC_BASE_URL", ANTHROPIC_DEFAULT_BASE_URL).replaceAll("/+$", "") + "/v1/")
                        .modelName(model).maxTokens(300).timeout(timeout).maxRetries(MODEL_RETRIES).build();
                break;
            case "ollama":
                // Ollama answers under a JSON schema in "format" (Ollama 0.5 and later)
                chat = OllamaChatModel.builder().baseUrl(r.url("OLLAMA_BASE_URL", OLLAMA_DEFAULT_BASE_URL)).modelName(model)
                        .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).timeout(timeout).maxRetries(MODEL_RETRIES).build();
                break;
            default:
                chat = GoogleAiGeminiChatModel.builder().apiKey(r.get("GEMINI_API_KEY"))
                        .baseUrl(r.url("GEMINI_BASE_URL", GEMINI_DEFAULT_BASE_URL)).modelName(model)
                        .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).timeout(timeout).maxRetries(MODEL_RETRIES).build();
                break;
        }
        return LangChain4jReplyGenerator.builder(config, chat).modelName(model).build();
    }

    private static String provider(EnvReader r) {
        String provider = r.getOr("AI_PROVIDER", ClientSetup.OPENAI).strip().toLowerCase(Locale.ROOT);
        if (!CHOICES.contains(provider)) {
            throw new ConfigurationException("AI_PROVIDER must be one of " + String.join(", ", CHOICES) + ", was \""
                    + LogSafe.truncate(r.get("AI_PROVIDER"), 40) + "\".");
        }
        return provider;
    }

    private static void require(EnvReader r, String provider, String variable) {
        if (r.get(variable) == null) {
            throw new ConfigurationException("AI_PROVIDER=" + provider + " needs " + variable + "; set it, or set AI_PROVIDER=openai.");
        }
    }
}
