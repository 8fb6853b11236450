package dev.frontdesk.sms.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupLogTest {

    @Test
    void withoutCredentialsTheLogNamesTheMissingPropertiesAndStillPrintsTheWebhookUrls() {
        FrontDeskConfig config = FrontDeskConfig.fromEnvironment(Map.of("PUBLIC_BASE_URL", "http://localhost:8080/sms"));
        assertThat(StartupLog.lines(config, false))
                .anySatisfy(l -> assertThat(l).startsWith("❌ Twilio SMS: Not configured (missing frontdesk.twilio.account-sid, frontdesk.twilio.auth-token"))
                .anySatisfy(l -> assertThat(l).endsWith("http://localhost:8080/sms/api/twilio/sms/inbound"))
                .noneSatisfy(l -> assertThat(l).contains("public-base-url is not set"));
    }

    @Test
    void productionModeWithoutAPublicUrlWarnsThatTwilioCannotReachLocalhost() {
        FrontDeskConfig config = FrontDeskConfig.fromEnvironment(Map.of(
                "TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef", "TWILIO_AUTH_TOKEN", "secret-token",
                "TWILIO_PHONE_NUMBER", "+15557654321", "TWILIO_TEST_MODE", "false", "PUBLIC_BASE_URL", "http://localhost:8080/sms"));
        assertThat(StartupLog.lines(config, false))
                .contains("✅ Twilio SMS: Configured (PRODUCTION mode)", "📱 Twilio Phone: +15557654321")
                .anySatisfy(l -> assertThat(l).contains("frontdesk.public-base-url is not set"))
                .noneSatisfy(l -> assertThat(l).contains("secret-token"));
    }

    @Test
    void theAiLineNamesProviderAndModel() {
        FrontDeskConfig config = FrontDeskConfig.fromEnvironment(Map.of("PUBLIC_BASE_URL", "http://localhost:8080/sms"));
        FrontDeskConfig claude = config.toBuilder().setup(config.setup().withAi("anthropic", "claude-haiku-4-5", true)).build();
        assertThat(StartupLog.lines(claude, false)).contains("🤖 AI replies: Configured (provider anthropic, model claude-haiku-4-5)");
        assertThat(StartupLog.lines(config, false)).anySatisfy(l -> assertThat(l).startsWith("🤖 AI replies: Not configured")
                .contains("frontdesk.openai.api-key", "ChatModel bean"));
    }

    @Test
    void variablesAreNamedAsTheSpringProperties() {
        assertThat(StartupLog.property("TWILIO_ACCOUNT_SID")).isEqualTo("frontdesk.twilio.account-sid");
        assertThat(StartupLog.property("TWILIO_PHONE_NUMBER")).isEqualTo("frontdesk.twilio.phone-number");
    }
}
