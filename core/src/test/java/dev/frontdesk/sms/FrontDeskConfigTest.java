package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrontDeskConfigTest {

    private static final String TOKEN = "f1e2d3c4b5a6f1e2d3c4b5a6f1e2d3c4";

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(Map.of());
        assertThat(c.twilioConfigured()).isFalse();
        assertThat(c.missingTwilioVariables()).containsExactly("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER");
        assertThat(c.twilio().testMode()).isTrue();
        assertThat(c.setup().aiModel()).isEqualTo("gpt-4o-mini");
        assertThat(c.aiConfigured()).isFalse();
        assertThat(c.twilio().publicBaseUrl()).isEqualTo("http://localhost:3001");
        assertThat(c.inboundWebhookUrl()).isEqualTo("http://localhost:3001/api/twilio/sms/inbound");
        assertThat(c.statusCallbackUrl()).isEqualTo("http://localhost:3001/api/twilio/sms/status");
        assertThat(c.replies().aiTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.limits().aiRepliesPerLeadPerHour()).isEqualTo(20);
        assertThat(c.limits().aiRepliesPerHour()).isEqualTo(1000);
        assertThat(c.limits().outboundPerMinute()).isEqualTo(60);
        assertThat(c.replies().humanTakeoverMinutes()).isEqualTo(120);
        assertThat(c.replies().help()).isNull();
        assertThat(c.replies().fallback()).isNotBlank();
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
        env.put("OWNER_PHONE_NUMBER", "(555) 222-3333");

        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(env);
        assertThat(c.twilioConfigured()).isTrue();
        assertThat(c.missingTwilioVariables()).isEmpty();
        assertThat(c.twilio().phoneNumber().value()).isEqualTo("+15550001111");
        assertThat(c.twilio().testMode()).isFalse();
        assertThat(c.twilio().verifiedNumbers()).extracting(PhoneNumber::value).containsExactly("+15551234567", "+15557654321");
        assertThat(c.twilio().messagingServiceSid()).isEqualTo("MG123");
        assertThat(c.inboundWebhookUrl()).isEqualTo("https://abc123.ngrok.io/api/twilio/sms/inbound");
        assertThat(c.aiConfigured()).isTrue();
        assertThat(c.setup().aiModel()).isEqualTo("gpt-test");
        assertThat(c.businessProfileRecord()).isEqualTo(
                new BusinessProfile("Acme Plumbing", "24/7 emergency plumbing in Springfield", "+15550001111"));
        assertThat(c.replies().aiTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.limits().aiRepliesPerLeadPerHour()).isEqualTo(3);
        assertThat(c.replies().fallback()).contains("Acme Plumbing");
        assertThat(c.replies().help()).isEqualTo("Call us at +15550001111");
        assertThat(c.twilio().ownerPhoneNumber().value()).isEqualTo("+15552223333");
        assertThat(c.toBuilder().build().twilio().ownerPhoneNumber()).isEqualTo(c.twilio().ownerPhoneNumber());
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
    void theConfigurationHoldsNoSecretAndNoClientSetting() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef");
        env.put("TWILIO_AUTH_TOKEN", TOKEN);
        env.put("TWILIO_PHONE_NUMBER", "+15550001111");
        env.put("TWILIO_API_BASE_URL", "http://twilio-mock.internal:4010");
        env.put("OPENAI_API_KEY", "sk-live-abcdef123456");
        env.put("OPENAI_BASE_URL", "http://openai-mock.internal:9999/v1");
        env.put("FRONTDESK_API_KEY", "staff-key-123456");
        env.put("DATABASE_URL", "jdbc:postgresql://db.internal.example:5432/prod");
        env.put("DATABASE_USER", "frontdesk_db_user");
        env.put("DATABASE_PASSWORD", "pg-pass-456789");
        env.put("PORT", "8443");
        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(env);
        assertThat(c.twilioConfigured()).as("the setup knows the credentials are set").isTrue();
        assertThat(c.aiConfigured()).isTrue();

        // Everything reachable from the configuration FrontDesk, ReplyGuard and the HTTP layer are handed.
        List<String> held = new ArrayList<>();
        collectStrings(c, held, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        held.add(c.toString());
        held.add(c.toBuilder().build().toString());
        for (String secret : List.of(TOKEN, "AC0123456789abcdef", "sk-live-abcdef123456", "staff-key-123456", "pg-pass-456789",
                "frontdesk_db_user", "db.internal.example", "twilio-mock.internal", "openai-mock.internal", "8443")) {
            assertThat(held).as(secret).noneMatch(s -> s.contains(secret));
        }
    }

    /** Every string reachable from {@code o} through fields, records, collections and maps. */
    private static void collectStrings(Object o, List<String> out, java.util.Set<Object> seen) throws IllegalAccessException {
        if (o == null || !seen.add(o)) {
            return;
        }
        if (o instanceof String s) {
            out.add(s);
            return;
        }
        if (o instanceof java.util.Collection<?> col) {
            for (Object e : col) {
                collectStrings(e, out, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                collectStrings(e.getKey(), out, seen);
                collectStrings(e.getValue(), out, seen);
            }
            return;
        }
        if (o instanceof java.util.Optional<?> opt) {
            collectStrings(opt.orElse(null), out, seen);
            return;
        }
        if (!o.getClass().getName().startsWith("dev.frontdesk.")) {
            out.add(String.valueOf(o));
            return;
        }
        for (Class<?> k = o.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
            for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                f.setAccessible(true);
                collectStrings(f.get(o), out, seen);
            }
        }
    }

    @Test
    void malformedValuesNameTheVariable() {
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("TWILIO_TEST_MODE", "maybe")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_TEST_MODE");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("TWILIO_PHONE_NUMBER", "call me")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_PHONE_NUMBER");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("OWNER_PHONE_NUMBER", "the boss")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OWNER_PHONE_NUMBER");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("TWILIO_VERIFIED_NUMBERS", "+15551234567,nope")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_VERIFIED_NUMBERS");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("PUBLIC_BASE_URL", "abc123.ngrok.io")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("PUBLIC_BASE_URL");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("AI_TIMEOUT_SECONDS", "0")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("AI_TIMEOUT_SECONDS");
    }

    @Test
    void autoRepliesPerHourDefaultsTo2000AndIsRead() {
        assertThat(FrontDeskConfig.fromEnvironment(Map.of()).limits().autoRepliesPerHour()).isEqualTo(2000);
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("AUTO_REPLIES_PER_HOUR", "50")).limits().autoRepliesPerHour()).isEqualTo(50);
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("AUTO_REPLIES_PER_HOUR", "-1")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("AUTO_REPLIES_PER_HOUR");
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("AUTO_REPLIES_PER_HOUR", "lots")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("AUTO_REPLIES_PER_HOUR");
        assertThat(FrontDeskConfig.builder().autoRepliesPerHour(7).build().toBuilder().build().limits().autoRepliesPerHour()).isEqualTo(7);
    }

    @Test
    void followUpHoursIsOffByDefaultTakesDecimalsAndNamesTheVariableWhenMalformed() {
        assertThat(FrontDeskConfig.fromEnvironment(Map.of()).replies().followUpAfter()).isZero();
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("FOLLOW_UP_HOURS", "0")).replies().followUpAfter()).isZero();
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("FOLLOW_UP_HOURS", "24")).replies().followUpAfter()).isEqualTo(Duration.ofHours(24));
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("FOLLOW_UP_HOURS", "0.01")).replies().followUpAfter()).isEqualTo(Duration.ofSeconds(36));
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("FOLLOW_UP_HOURS", " 1.5 ")).replies().followUpAfter()).isEqualTo(Duration.ofMinutes(90));
        for (String bad : new String[]{"-1", "soon", "1h", "NaN", "100001"}) {
            assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("FOLLOW_UP_HOURS", bad))).as(bad)
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("FOLLOW_UP_HOURS").hasMessageContaining("hours");
        }
        assertThat(FrontDeskConfig.builder().followUpAfter(Duration.ofMinutes(5)).build().toBuilder().build().replies().followUpAfter())
                .isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> FrontDeskConfig.builder().followUpAfter(Duration.ofMinutes(-5)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("followUpAfter");
    }

    @Test
    void replyCountriesAnswerEveryRegionWhenUnsetAndOnlyTheListedOnesWhenSet() {
        FrontDeskConfig all = FrontDeskConfig.fromEnvironment(Map.of());
        assertThat(all.limits().replyCountries()).isEmpty();
        assertThat(all.answersAutomatically(new PhoneNumber("+447700900123"))).isTrue();
        assertThat(all.answersAutomatically(new PhoneNumber("+882160000000"))).isTrue();

        FrontDeskConfig northAmerica = FrontDeskConfig.fromEnvironment(Map.of("REPLY_COUNTRIES", " us, CA ,"));
        assertThat(northAmerica.limits().replyCountries()).containsExactlyInAnyOrder("US", "CA");
        assertThat(northAmerica.toBuilder().build().limits().replyCountries()).containsExactlyInAnyOrder("US", "CA");
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
    void theBuilderChecksRanges() {
        assertThatThrownBy(() -> FrontDeskConfig.builder().replyMaxChars(5).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("replyMaxChars");
        assertThatThrownBy(() -> FrontDeskConfig.builder().aiTimeout(Duration.ZERO).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("aiTimeout");
        FrontDeskConfig c = FrontDeskConfig.builder().build();
        assertThat(c.twilio().publicBaseUrl()).isEqualTo("http://localhost:3001");
        assertThat(c.toBuilder().publicBaseUrl("https://desk.example/").build().statusCallbackUrl())
                .isEqualTo("https://desk.example/api/twilio/sms/status");
    }
}
