package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.events.EventWebhooks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupBannerTest {

    private static List<String> banner(Map<String, String> env, String generatedKey, boolean publicUrlSet) {
        FrontDeskConfig config = FrontDeskConfig.fromEnvironment(env);
        return StartupBanner.lines(config, generatedKey, "http://localhost:3001/", "jdbc:h2:file:./data/frontdesk", publicUrlSet, 3001);
    }

    @Test
    void testModeLinesAreWordedAsTheSetupGuideQuotesThem() {
        List<String> lines = banner(Map.of("TWILIO_ACCOUNT_SID", "AC123", "TWILIO_AUTH_TOKEN", "secret-token",
                "TWILIO_PHONE_NUMBER", "+15551234567", "TWILIO_TEST_MODE", "true",
                "PUBLIC_BASE_URL", "https://abc.ngrok.app"), null, true);
        assertThat(lines).contains(
                "✅ Twilio SMS: Configured (TEST mode)",
                "📱 Twilio Phone: +15551234567",
                "⚠️  Test Mode: Only works with verified numbers in Twilio sandbox");
        assertThat(lines).anyMatch(l -> l.endsWith("https://abc.ngrok.app/api/twilio/sms/inbound"));
        assertThat(lines).anyMatch(l -> l.endsWith("https://abc.ngrok.app/api/twilio/sms/status"));
        assertThat(String.join("\n", lines)).doesNotContain("secret-token").doesNotContain("FRONTDESK_API_KEY=");
    }

    @Test
    void productionModeHasNoTestModeWarning() {
        List<String> lines = banner(Map.of("TWILIO_ACCOUNT_SID", "AC123", "TWILIO_AUTH_TOKEN", "t",
                "TWILIO_PHONE_NUMBER", "+15551234567", "TWILIO_TEST_MODE", "false"), null, true);
        assertThat(lines).contains("✅ Twilio SMS: Configured (PRODUCTION mode)", "📱 Twilio Phone: +15551234567");
        assertThat(lines).noneMatch(l -> l.contains("Test Mode"));
    }

    @Test
    void notConfiguredNamesTheMissingVariablesAndPrintsTheGeneratedKey() {
        List<String> lines = banner(Map.of("TWILIO_ACCOUNT_SID", "AC123"), "fd_generated", false);
        assertThat(lines).anyMatch(l -> l.contains("Twilio SMS: Not configured")
                && l.contains("TWILIO_AUTH_TOKEN") && l.contains("TWILIO_PHONE_NUMBER") && !l.contains("TWILIO_ACCOUNT_SID,"));
        assertThat(lines).anyMatch(l -> l.contains("FRONTDESK_API_KEY=fd_generated"));
        assertThat(lines).anyMatch(l -> l.endsWith("http://localhost:3001/api/twilio/sms/inbound"));
        assertThat(lines).anyMatch(l -> l.contains("Dashboard: http://localhost:3001/"));
    }

    @Test
    void theAiLineNamesProviderAndModel() {
        Map<String, String> env = Map.of("AI_PROVIDER", "anthropic", "ANTHROPIC_API_KEY", "sk-ant-secret-key");
        FrontDeskConfig config = AiProviders.withChoice(env, FrontDeskConfig.fromEnvironment(env));
        List<String> lines = StartupBanner.lines(config, null, "http://localhost:3001/", "jdbc:h2:file:./data/frontdesk", true, 3001);
        assertThat(lines).contains("🤖 AI replies: Configured (provider anthropic, model claude-haiku-4-5)");
        assertThat(String.join("\n", lines)).doesNotContain("sk-ant-secret-key");
        assertThat(banner(Map.of("OPENAI_API_KEY", "sk-x", "OPENAI_MODEL", "gpt-4.1-mini"), null, true))
                .contains("🤖 AI replies: Configured (provider openai, model gpt-4.1-mini)");
    }

    @Test
    void configuredWithoutPublicUrlSaysTwilioCannotReachLocalhost() {
        List<String> lines = banner(Map.of("TWILIO_ACCOUNT_SID", "AC123", "TWILIO_AUTH_TOKEN", "t",
                "TWILIO_PHONE_NUMBER", "+15551234567"), null, false);
        assertThat(lines).anyMatch(l -> l.contains("PUBLIC_BASE_URL is not set"));
    }

    @Test
    void jdbcUrlsLoseCredentialsAndParameters() {
        assertThat(StartupBanner.safeJdbcUrl("jdbc:postgresql://user:pw@db.example.com:5432/app?password=pw&ssl=true"))
                .isEqualTo("jdbc:postgresql://db.example.com:5432/app");
        assertThat(StartupBanner.safeJdbcUrl("jdbc:h2:file:./data/frontdesk;PASSWORD=x")).isEqualTo("jdbc:h2:file:./data/frontdesk");
    }

    @Test
    void theListeningLineSaysTheRealBindAndWhoCanConnect() {
        assertThat(StartupBanner.listening("127.0.0.1", 3001))
                .isEqualTo("🌐 Listening on 127.0.0.1:3001 (this machine only; set BIND_ADDRESS=0.0.0.0 to serve other hosts)");
        assertThat(StartupBanner.listening("0.0.0.0", 3001)).isEqualTo("🌐 Listening on 0.0.0.0:3001 (all interfaces: other hosts can connect)");
        assertThat(StartupBanner.listening("192.0.2.10", 8080)).isEqualTo("🌐 Listening on 192.0.2.10:8080");
        assertThat(StartupBanner.listening("::1", 3001)).startsWith("🌐 Listening on [::1]:3001 (this machine only");
    }

    @Test
    void theEventsLineNamesOnlyTheReceiversHostNeverItsPathOrTheSecret() {
        EventWebhooks events = EventWebhooks.fromEnvironment(Map.of("EVENTS_WEBHOOK_URL", "https://crm.example.com:8443/hooks/t0ken-in-path?k=q",
                "EVENTS_WEBHOOK_SECRET", "whsec_very_secret")).orElseThrow();
        String line = StartupBanner.events(events);
        assertThat(line).startsWith("📤 Events: On").contains("crm.example.com")
                .doesNotContain("t0ken-in-path", "k=q", "whsec_very_secret", "8443", "EVENTS_ALLOW_PRIVATE");
        assertThat(StartupBanner.events(null)).startsWith("📤 Events: Off").contains("EVENTS_WEBHOOK_URL");
    }
}
