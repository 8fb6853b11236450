package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.EnvReader;
import java.util.Map;
import java.util.Objects;

/**
 * What the status page and startup log report of the clients, without their secrets: whether
 * {@code TWILIO_ACCOUNT_SID} and {@code TWILIO_AUTH_TOKEN} are set, whether the reply generator has what it needs
 * (AI replies rather than the fallback text), the model named in usage records and the AI provider
 * ({@code openai}, or a LangChain4j provider such as {@code anthropic}, {@code ollama}, {@code gemini}).
 * {@link FrontDeskConfig#setup()} carries it; the clients' settings themselves live in the clients.
 */
public record ClientSetup(boolean twilioAccountSidSet, boolean twilioAuthTokenSet, boolean aiConfigured, String aiModel,
                    String aiProvider) {
    /** The built-in generator's provider. */
    public static final String OPENAI = "openai";
    /** Nothing set: Twilio not configured, fallback replies only. */
    public static final ClientSetup NONE = new ClientSetup(false, false, false, FrontDeskConfig.DEFAULT_AI_MODEL);

    public ClientSetup {
        Objects.requireNonNull(aiModel, "aiModel");
        Objects.requireNonNull(aiProvider, "aiProvider");
    }

    /** The setup of the built-in OpenAI generator. */
    public ClientSetup(boolean twilioAccountSidSet, boolean twilioAuthTokenSet, boolean aiConfigured, String aiModel) {
        this(twilioAccountSidSet, twilioAuthTokenSet, aiConfigured, aiModel, OPENAI);
    }

    /**
     * Reads which client variables are set (never their values) from {@code env}, for the built-in OpenAI
     * generator: {@code OPENAI_API_KEY} and {@code OPENAI_MODEL}. A host that uses another provider replaces it
     * with {@link #withAi}.
     */
    public static ClientSetup fromEnvironment(Map<String, String> env) {
        EnvReader r = new EnvReader(env);
        return new ClientSetup(r.get("TWILIO_ACCOUNT_SID") != null, r.get("TWILIO_AUTH_TOKEN") != null,
                r.get("OPENAI_API_KEY") != null, r.getOr("OPENAI_MODEL", FrontDeskConfig.DEFAULT_AI_MODEL));
    }

    /** This setup with the AI part replaced: another provider, its model, whether it is configured. */
    public ClientSetup withAi(String provider, String model, boolean configured) {
        return new ClientSetup(twilioAccountSidSet, twilioAuthTokenSet, configured, model, provider);
    }
}
