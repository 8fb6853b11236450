package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrontDeskConfigTest {

    private static final String TOKEN = "f1e2d3c4b5a6f1e2d3c4b5a6f1e2d3c4";

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(Map.of());
        assertThat(c.twilioConfigured()).isFalse();
        assertThat(c.missingTwilioVariables()).containsExactly("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER");
        assertThat(c.twilioTestMode()).isTrue();
        assertThat(c.twilioApiBaseUrl()).isEqualTo("https://api.twilio.com");
        assertThat(c.openAiBaseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(c.openAiModel()).isEqualTo("gpt-4o-mini");
        assertThat(c.aiConfigured()).isFalse();
        assertThat(c.databaseUrl()).isEqualTo("jdbc:h2:file:./data/frontdesk");
        assertThat(c.port()).isEqualTo(3001);
        assertThat(c.publicBaseUrl()).isEqualTo("http://localhost:3001");
        assertThat(c.inboundWebhookUrl()).isEqualTo("http://localhost:3001/api/twilio/sms/inbound");
        assertThat(c.statusCallbackUrl()).isEqualTo("http://localhost:3001/api/twilio/sms/status");
        assertThat(c.aiTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.aiRepliesPerLeadPerHour()).isEqualTo(20);
        assertThat(c.aiRepliesPerHour()).isEqualTo(1000);
        assertThat(c.outboundPerMinute()).isEqualTo(60);
        assertThat(c.humanTakeoverMinutes()).isEqualTo(120);
        assertThat(c.apiKey()).isNull();
        assertThat(c.helpReply()).isNull();
        assertThat(c.fallbackReply()).isNotBlank();
    }

    @Test
    void everyVariableIsRead() {
        Map<String, String> env = new HashMap<>();
        env.put("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef");
        env.put("TWILIO_AUTH_TOKEN", TOKEN);
        env.put("TWILIO_PHONE_NUMBER", "(555) 000-1111");
        env.put("TWILIO_TEST_MODE", "false");
        env.put("TWILIO_VERIFIED_NUMBERS", "+15551234567, 555-765-4321,");
        env.put("TWILIO_MESSAGING_SERVICE_SID", "MG123");
        env.put("TWILIO_API_BASE_URL", "http://127.0.0.1:4010/");
        env.put("PUBLIC_BASE_URL", "https://abc123.ngrok.io/");
        env.put("OPENAI_API_KEY", "sk-test-secret");
        env.put("OPENAI_BASE_URL", "http://127.0.0.1:9999/v1");
        env.put("OPENAI_MODEL", "gpt-test");
        env.put("BUSINESS_NAME", "Acme Plumbing");
        env.put("BUSINESS_PROFILE", "24/7 emergency plumbing in Springfield");
        env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        env.put("DATABASE_USER", "postgres");
        env.put("DATABASE_PASSWORD", "db-secret");
        env.put("FRONTDESK_API_KEY", "staff-secret");
        env.put("PORT", "8080");
        env.put("AI_TIMEOUT_SECONDS", "5");
        env.put("AI_REPLIES_PER_LEAD_PER_HOUR", "3");
        env.put("HELP_REPLY", "Call us at +15550001111");

        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(env);
        assertThat(c.twilioConfigured()).isTrue();
        assertThat(c.missingTwilioVariables()).isEmpty();
        assertThat(c.twilioPhoneNumber().value()).isEqualTo("+15550001111");
        assertThat(c.twilioTestMode()).isFalse();
        assertThat(c.twilioVerifiedNumbers()).extracting(PhoneNumber::value).containsExactly("+15551234567", "+15557654321");
        assertThat(c.twilioMessagingServiceSid()).isEqualTo("MG123");
        assertThat(c.twilioApiBaseUrl()).isEqualTo("http://127.0.0.1:4010");
        assertThat(c.inboundWebhookUrl()).isEqualTo("https://abc123.ngrok.io/api/twilio/sms/inbound");
        assertThat(c.aiConfigured()).isTrue();
        assertThat(c.openAiModel()).isEqualTo("gpt-test");
        assertThat(c.businessProfileRecord()).isEqualTo(
                new BusinessProfile("Acme Plumbing", "24/7 emergency plumbing in Springfield", "+15550001111"));
        assertThat(c.databaseUser()).isEqualTo("postgres");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.aiTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.aiRepliesPerLeadPerHour()).isEqualTo(3);
        assertThat(c.fallbackReply()).contains("Acme Plumbing");
        assertThat(c.helpReply()).isEqualTo("Call us at +15550001111");
    }

    @Test
    void aMessagingServiceReplacesThePhoneNumber() {
        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(Map.of(
                "TWILIO_ACCOUNT_SID", "AC1", "TWILIO_AUTH_TOKEN", TOKEN, "TWILIO_MESSAGING_SERVICE_SID", "MG1"));
        assertThat(c.missingTwilioVariables()).isEmpty();
        FrontDeskConfig onlySid = FrontDeskConfig.fromEnvironment(Map.of("TWILIO_ACCOUNT_SID", "AC1", "TWILIO_AUTH_TOKEN", " "));
        assertThat(onlySid.missingTwilioVariables()).containsExactly("TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER");
    }

    @Test
    void toStringNeverShowsSecrets() {
        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(Map.of(
                "TWILIO_ACCOUNT_SID", "AC1", "TWILIO_AUTH_TOKEN", TOKEN, "OPENAI_API_KEY", "sk-live-abcdef",
                "FRONTDESK_API_KEY", "staff-key-123", "DATABASE_PASSWORD", "pg-pass-456"));
        String s = c.toString();
        assertThat(s).doesNotContain(TOKEN).doesNotContain("sk-live-abcdef").doesNotContain("staff-key-123")
                .doesNotContain("pg-pass-456");
        assertThat(s).contains("twilioAuthToken=(set)").contains("AC1");
    }

    @Test
    void malformedValuesNameTheVariable() {
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("PORT", "eighty")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("PORT");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("PORT", "70000")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("PORT");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("TWILIO_TEST_MODE", "maybe")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_TEST_MODE");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("TWILIO_PHONE_NUMBER", "call me")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_PHONE_NUMBER");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("TWILIO_VERIFIED_NUMBERS", "+15551234567,nope")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_VERIFIED_NUMBERS");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("PUBLIC_BASE_URL", "abc123.ngrok.io")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("PUBLIC_BASE_URL");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("AI_TIMEOUT_SECONDS", "0")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("AI_TIMEOUT_SECONDS");
    }

    @Test
    void autoRepliesPerHourDefaultsTo2000AndIsRead() {
        assertThat(FrontDeskConfig.fromEnvironment(Map.of()).autoRepliesPerHour()).isEqualTo(2000);
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("AUTO_REPLIES_PER_HOUR", "50")).autoRepliesPerHour()).isEqualTo(50);
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("AUTO_REPLIES_PER_HOUR", "-1")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("AUTO_REPLIES_PER_HOUR");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("AUTO_REPLIES_PER_HOUR", "lots")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("AUTO_REPLIES_PER_HOUR");
        assertThat(FrontDeskConfig.builder().autoRepliesPerHour(7).build().toBuilder().build().autoRepliesPerHour()).isEqualTo(7);
    }

    @Test
    void replyCountriesAnswerEveryRegionWhenUnsetAndOnlyTheListedOnesWhenSet() {
        FrontDeskConfig all = FrontDeskConfig.fromEnvironment(Map.of());
        assertThat(all.replyCountries()).isEmpty();
        assertThat(all.answersAutomatically(new PhoneNumber("+447700900123"))).isTrue();
        assertThat(all.answersAutomatically(new PhoneNumber("+882160000000"))).isTrue();

        FrontDeskConfig northAmerica = FrontDeskConfig.fromEnvironment(Map.of("REPLY_COUNTRIES", " us, CA ,"));
        assertThat(northAmerica.replyCountries()).containsExactlyInAnyOrder("US", "CA");
        assertThat(northAmerica.toBuilder().build().replyCountries()).containsExactlyInAnyOrder("US", "CA");
        assertThat(northAmerica.answersAutomatically(new PhoneNumber("+14155550123"))).as("US").isTrue();
        assertThat(northAmerica.answersAutomatically(new PhoneNumber("+15551234567"))).as("+1555: the main region of +1").isTrue();
        assertThat(northAmerica.answersAutomatically(new PhoneNumber("+16135550123"))).as("Ottawa, CA").isTrue();
        assertThat(northAmerica.answersAutomatically(new PhoneNumber("+447700900123"))).as("GB").isFalse();
        assertThat(northAmerica.answersAutomatically(new PhoneNumber("+2348031234567"))).as("NG").isFalse();
        assertThat(northAmerica.answersAutomatically(new PhoneNumber("+96550012345"))).as("KW").isFalse();
        assertThat(northAmerica.answersAutomatically(new PhoneNumber("+882160000000"))).as("international network, no region").isFalse();
        assertThat(northAmerica.answersAutomatically(new PhoneNumber("+18765550123"))).as("Jamaica shares +1").isFalse();
    }

    @Test
    void anInvalidRegionInReplyCountriesIsAConfigurationErrorNamingTheVariable() {
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("REPLY_COUNTRIES", "US,UK,USA")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLY_COUNTRIES").hasMessageContaining("UK").hasMessageContaining("USA")
                .hasMessageContaining("GB");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("REPLY_COUNTRIES", "001")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("REPLY_COUNTRIES");
        assertThatThrownBy(() -> FrontDeskConfig.builder().replyCountries(java.util.Set.of("XX")).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("replyCountries");
    }

    @Test
    void openAiTemperatureIsUnsetByDefaultAndMustBeBetweenZeroAndTwo() {
        assertThat(FrontDeskConfig.fromEnvironment(Map.of()).openAiTemperature()).isNull();
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("OPENAI_TEMPERATURE", " ")).openAiTemperature()).isNull();
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("OPENAI_TEMPERATURE", "0.7")).openAiTemperature()).isEqualTo(0.7);
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("OPENAI_TEMPERATURE", "0")).openAiTemperature()).isEqualTo(0.0);
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("OPENAI_TEMPERATURE", "2")).openAiTemperature()).isEqualTo(2.0);
        for (String bad : new String[] {"2.5", "-0.1", "warm", "NaN", "Infinity", "1,5"}) {
            assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("OPENAI_TEMPERATURE", bad)))
                    .as(bad).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("OPENAI_TEMPERATURE").hasMessageContaining("between 0 and 2");
        }
        assertThatThrownBy(() -> FrontDeskConfig.builder().openAiTemperature(3.0).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OPENAI_TEMPERATURE");
        assertThat(FrontDeskConfig.builder().openAiTemperature(1.0).build().toBuilder().build().openAiTemperature()).isEqualTo(1.0);
    }

    @Test
    void theBuilderChecksRanges() {
        assertThatThrownBy(() -> FrontDeskConfig.builder().replyMaxChars(5).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("replyMaxChars");
        assertThatThrownBy(() -> FrontDeskConfig.builder().aiTimeout(Duration.ZERO).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("aiTimeout");
        FrontDeskConfig c = FrontDeskConfig.builder().port(9000).build();
        assertThat(c.publicBaseUrl()).isEqualTo("http://localhost:9000");
        assertThat(c.toBuilder().port(9001).build().port()).isEqualTo(9001);
    }
}
