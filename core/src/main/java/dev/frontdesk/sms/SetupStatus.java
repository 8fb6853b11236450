package dev.frontdesk.sms;

import java.util.List;

/**
 * Where the Twilio and AI setup stands ({@code GET /api/twilio/status}).
 *
 * @param configured        whether every Twilio variable needed to send is set
 * @param mode              {@code test} or {@code production}
 * @param phoneNumber       the sending number, masked, or null
 * @param missing           the Twilio variables that are missing
 * @param inboundWebhookUrl the URL to paste into Twilio's "A message comes in" field
 * @param statusCallbackUrl the StatusCallback URL sent with every message
 * @param aiConfigured      whether replies come from the model
 * @param aiModel           the model used
 * @param aiProvider        {@code openai} or the LangChain4j provider ({@code anthropic}, {@code ollama}, {@code gemini}...)
 */
public record SetupStatus(boolean configured, String mode, String phoneNumber, List<String> missing,
                          String inboundWebhookUrl, String statusCallbackUrl, boolean aiConfigured, String aiModel,
                          String aiProvider) {

    /** A setup of the built-in OpenAI generator. */
    public SetupStatus(boolean configured, String mode, String phoneNumber, List<String> missing, String inboundWebhookUrl,
            String statusCallbackUrl, boolean aiConfigured, String aiModel) {
        this(configured, mode, phoneNumber, missing, inboundWebhookUrl, statusCallbackUrl, aiConfigured, aiModel,
                ClientSetup.OPENAI);
    }

    /** Reads the setup from a configuration. */
    public static SetupStatus of(FrontDeskConfig config) {
        return new SetupStatus(config.twilioConfigured(), config.twilio().testMode() ? "test" : "production",
                config.twilio().phoneNumber() == null ? null : config.twilio().phoneNumber().masked(),
                config.missingTwilioVariables(), config.inboundWebhookUrl(), config.statusCallbackUrl(),
                config.aiConfigured(), config.setup().aiModel(), config.setup().aiProvider());
    }
}
