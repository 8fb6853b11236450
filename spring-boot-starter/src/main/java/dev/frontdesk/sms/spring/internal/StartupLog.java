package dev.frontdesk.sms.spring.internal;

import dev.frontdesk.sms.FrontDeskConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lines logged once the application is ready: where Twilio stands (the same wording as the example app), the
 * AI, and the URLs to paste into Twilio, which include the servlet path. Pure function of its inputs.
 */
public final class StartupLog {
    private StartupLog() {
    }

    /**
     * @param config       the configuration in force (its public base URL already names the servlet's mount point)
     * @param publicUrlSet whether {@code frontdesk.public-base-url} was set (otherwise Twilio cannot reach the app)
     */
    public static List<String> lines(FrontDeskConfig config, boolean publicUrlSet) {
        List<String> lines = new ArrayList<>();
        if (config.twilioConfigured()) {
            lines.add("✅ Twilio SMS: Configured (" + (config.twilio().testMode() ? "TEST" : "PRODUCTION") + " mode)");
            if (config.twilio().phoneNumber() != null) {
                lines.add("📱 Twilio Phone: " + config.twilio().phoneNumber().value());
            }
            if (config.twilio().messagingServiceSid() != null) {
                lines.add("📨 Twilio Messaging Service: " + config.twilio().messagingServiceSid());
            }
            if (config.twilio().testMode()) {
                lines.add("⚠️  Test Mode: Only works with verified numbers in Twilio sandbox");
            }
        } else {
            List<String> missing = new ArrayList<>();
            for (String variable : config.missingTwilioVariables()) {
                missing.add(property(variable));
            }
            lines.add("❌ Twilio SMS: Not configured (missing " + String.join(", ", missing)
                    + "); replies are logged and stored with status \"simulated\", nothing is really sent");
        }
        lines.add(config.aiConfigured()
                ? "🤖 AI replies: Configured (provider " + config.setup().aiProvider() + ", model " + config.setup().aiModel() + ")"
                : "🤖 AI replies: Not configured (frontdesk.openai.api-key unset, and no LangChain4j ChatModel bean); "
                        + "customers get the fallback reply");
        lines.add("🔗 Paste into Twilio, Phone Number > Messaging > \"A message comes in\" (HTTP POST): " + config.inboundWebhookUrl());
        lines.add("🔗 Status callback URL (sent with every message): " + config.statusCallbackUrl());
        if (!publicUrlSet && config.twilioConfigured()) {
            lines.add("⚠️  frontdesk.public-base-url is not set: Twilio cannot reach localhost. Set it to the https URL "
                    + "Twilio calls (a tunnel such as ngrok, or your domain).");
        }
        return lines;
    }

    /** {@code TWILIO_ACCOUNT_SID} as the property a Spring host sets: {@code frontdesk.twilio.account-sid}. */
    static String property(String variable) {
        String v = variable.toLowerCase(Locale.ROOT);
        if (v.startsWith("twilio_")) {
            return "frontdesk.twilio." + v.substring("twilio_".length()).replace('_', '-');
        }
        return "frontdesk." + v.replace('_', '-');
    }
}
