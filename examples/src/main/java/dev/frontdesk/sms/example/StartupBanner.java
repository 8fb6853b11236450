package dev.frontdesk.sms.example;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.events.EventWebhooks;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines the app logs at start: where Twilio stands (worded as the Desk.ai setup guide quotes them),
 * the AI, the database, the generated key, the dashboard and the two URLs to paste into Twilio. Pure
 * function of its inputs, so the exact wording is tested without starting anything.
 */
final class StartupBanner {
    private StartupBanner() {
    }

    /**
     * @param config          the configuration in force
     * @param generatedApiKey the key made up because {@code FRONTDESK_API_KEY} is unset, or null
     * @param dashboardUrl    where the dashboard answers on this machine
     * @param databaseLabel   the store, already stripped of anything secret
     * @param publicUrlSet    whether {@code PUBLIC_BASE_URL} was set (otherwise Twilio cannot reach the webhooks)
     * @param port            the port the app listens on
     */
    static List<String> lines(FrontDeskConfig config, String generatedApiKey, String dashboardUrl, String databaseLabel,
                              boolean publicUrlSet, int port) {
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
            lines.add("❌ Twilio SMS: Not configured (missing " + String.join(", ", config.missingTwilioVariables())
                    + "); replies are logged here and stored with status \"simulated\", nothing is really sent");
        }
        if (config.aiConfigured()) {
            lines.add("🤖 AI replies: Configured (provider " + config.setup().aiProvider() + ", model " + config.setup().aiModel() + ")");
        } else {
            lines.add("🤖 AI replies: Not configured (OPENAI_API_KEY unset, or set AI_PROVIDER=anthropic, ollama or gemini);"
                    + " customers get the fallback reply");
        }
        lines.add("🗄️  Database: " + databaseLabel);
        if (generatedApiKey != null) {
            lines.add("🔑 No FRONTDESK_API_KEY set; the dashboard and admin API take this one: FRONTDESK_API_KEY=" + generatedApiKey);
        }
        lines.add("🖥️  Dashboard: " + dashboardUrl);
        lines.add("🔗 Paste into Twilio, Phone Number > Messaging > \"A message comes in\" (HTTP POST): " + config.inboundWebhookUrl());
        lines.add("🔗 Status callback URL (sent with every message): " + config.statusCallbackUrl());
        if (!publicUrlSet && config.twilioConfigured()) {
            lines.add("⚠️  PUBLIC_BASE_URL is not set: Twilio cannot reach localhost. Start a tunnel (ngrok http "
                    + port + ") and set PUBLIC_BASE_URL to its https URL, or try it locally with the simulator: "
                    + "java -jar examples/target/frontdesk-example.jar simulate --from +15551234567 --body \"Hi\"");
        }
        return lines;
    }

    /**
     * Whether lead events are posted to the host's CRM, naming only the receiver's host (its path or query may hold a
     * token; the secret is never logged), e.g. {@code 📤 Events: On, signed and posted to crm.example.com}.
     *
     * @param events the event webhooks in force, or null when {@code EVENTS_WEBHOOK_URL} is unset
     */
    static String events(EventWebhooks events) {
        if (events == null) {
            return "📤 Events: Off (set EVENTS_WEBHOOK_URL and EVENTS_WEBHOOK_SECRET to post lead events to your CRM)";
        }
        return "📤 Events: On, signed and posted to " + events.url().getHost()
                + (events.allowPrivate() ? " (EVENTS_ALLOW_PRIVATE: private and loopback addresses allowed)" : "")
                + "; the dashboard's Settings page shows failing deliveries";
    }

    /**
     * Where the app really listens, e.g. {@code 🌐 Listening on 127.0.0.1:3001 (this machine only; set
     * BIND_ADDRESS=0.0.0.0 to serve other hosts)}.
     */
    static String listening(String bindHost, int port) {
        String hostPort = (bindHost.contains(":") ? "[" + bindHost + "]" : bindHost) + ":" + port;
        String scope = "";
        try {
            java.net.InetAddress a = java.net.InetAddress.getByName(bindHost);
            if (a.isLoopbackAddress()) {
                scope = " (this machine only; set BIND_ADDRESS=0.0.0.0 to serve other hosts)";
            } else if (a.isAnyLocalAddress()) {
                scope = " (all interfaces: other hosts can connect)";
            }
        } catch (java.net.UnknownHostException e) {
            // say only the address
        }
        return "🌐 Listening on " + hostPort + scope;
    }

    /** A JDBC URL without credentials or parameters, safe to log. */
    static String safeJdbcUrl(String url) {
        String s = url;
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        int at = s.lastIndexOf('@');
        int scheme = s.indexOf("//");
        if (at >= 0 && scheme >= 0 && at > scheme) {
            s = s.substring(0, scheme + 2) + s.substring(at + 1);
        }
        int semi = s.indexOf(';');
        if (s.startsWith("jdbc:h2:") && semi >= 0) {
            s = s.substring(0, semi);
        }
        return s;
    }
}
