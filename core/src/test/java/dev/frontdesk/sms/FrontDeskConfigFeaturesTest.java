package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The variables of issue #10: profiles per number, business hours, prices and budget. */
class FrontDeskConfigFeaturesTest {

    @Test
    void defaultsAreTheGuidesPricesNoBudgetAlwaysOpenAndOneProfile() {
        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(Map.of("BUSINESS_NAME", "Ace Plumbing"));
        assertThat(c.pricing().outboundSegment()).isEqualByComparingTo("0.0075");
        assertThat(c.pricing().inboundSegment()).isEqualByComparingTo("0");
        assertThat(c.pricing().monthlyBudget()).isNull();
        assertThat(c.business().hours().configured()).isFalse();
        assertThat(c.business().timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(c.business().profiles()).isEmpty();
        assertThat(c.replies().humanTakeoverMinutes()).isEqualTo(120);
        assertThat(c.businessProfileFor("+15550002222").name()).isEqualTo("Ace Plumbing");
        assertThat(c.businessProfileFor("+15550002222").phoneNumber()).isEqualTo("+15550002222");
    }

    @Test
    void everyVariableIsRead() {
        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(Map.of(
                "BUSINESS_PROFILES", "{\"+1 555 000 2222\": {\"name\": \"Spark Electric\", \"profile\": \"Electricians\"}}",
                "BUSINESS_HOURS", "Mon-Fri 08:00-18:00",
                "BUSINESS_TIMEZONE", "America/Chicago",
                "PRICE_OUTBOUND_SEGMENT_USD", "0.0079",
                "PRICE_INBOUND_SEGMENT_USD", "0.0079",
                "PRICE_AI_INPUT_PER_MILLION_TOKENS_USD", "2.5",
                "PRICE_AI_OUTPUT_PER_MILLION_TOKENS_USD", "10",
                "MONTHLY_BUDGET_USD", "50",
                "HUMAN_TAKEOVER_MINUTES", "30"));
        assertThat(c.businessProfileFor("+15550002222")).isEqualTo(new BusinessProfile("Spark Electric", "Electricians", "+15550002222"));
        assertThat(c.business().timeZone()).isEqualTo(ZoneId.of("America/Chicago"));
        assertThat(c.business().explicitTimeZone()).contains(ZoneId.of("America/Chicago"));
        assertThat(c.toBuilder().build().business().explicitTimeZone()).contains(ZoneId.of("America/Chicago"));
        assertThat(c.business().hours().isOpen(Instant.parse("2026-11-27T15:00:00Z"))).isTrue();
        assertThat(c.pricing().outboundSegment()).isEqualByComparingTo("0.0079");
        assertThat(c.pricing().inboundSegment()).isEqualByComparingTo("0.0079");
        assertThat(c.pricing().aiInputPerMillionTokens()).isEqualByComparingTo("2.5");
        assertThat(c.pricing().aiOutputPerMillionTokens()).isEqualByComparingTo("10");
        assertThat(c.pricing().monthlyBudget()).isEqualByComparingTo(new BigDecimal("50"));
        assertThat(c.replies().humanTakeoverMinutes()).isEqualTo(30);
        assertThat(c.toBuilder().build().pricing().monthlyBudget()).isEqualByComparingTo("50");
    }

    @Test
    void malformedValuesNameTheVariable() {
        Map<String, String> bad = Map.of(
                "BUSINESS_PROFILES", "[1]",
                "BUSINESS_TIMEZONE", "Mars/Olympus",
                "BUSINESS_HOURS", "weekdays",
                "MONTHLY_BUDGET_USD", "-5",
                "PRICE_OUTBOUND_SEGMENT_USD", "cheap");
        bad.forEach((name, value) -> assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of(name, value)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(name));
        assertThatThrownBy(() -> FrontDeskConfig.fromEnvironment(Map.of("BUSINESS_PROFILES", "{\"+15550002222\": {\"profile\": \"x\"}}")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("name");
    }

    @Test
    void theUtcDefaultZoneIsNotAnExplicitBusinessTimeZone() {
        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(Map.of("BUSINESS_HOURS", "Mon-Fri 08:00-18:00"));
        assertThat(c.business().timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(c.business().explicitTimeZone()).isEmpty();
        assertThat(FrontDeskConfig.fromEnvironment(Map.of("BUSINESS_TIMEZONE", "UTC")).business().explicitTimeZone())
                .as("UTC named on purpose").contains(ZoneId.of("UTC"));
    }

    @Test
    void aBuilderTimeZoneRezonesAlwaysOpenHoursAndRefusesHoursInAnotherZone() {
        ZoneId chicago = ZoneId.of("America/Chicago");
        assertThat(FrontDeskConfig.builder().businessTimeZone(chicago).build().business().timeZone()).isEqualTo(chicago);
        assertThatThrownBy(() -> FrontDeskConfig.builder().businessTimeZone(chicago)
                .businessHours(BusinessHours.parse("Mon-Fri 08:00-18:00", ZoneId.of("Europe/Berlin"))).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("businessTimeZone");
    }

    @Test
    void repliesGoOutFromTheTextedNumberOnlyWhenItIsTheBusinesss() {
        FrontDeskConfig c = FrontDeskConfig.fromEnvironment(Map.of(
                "TWILIO_PHONE_NUMBER", "+15550001111",
                "BUSINESS_PROFILES", "{\"+15550002222\": {\"name\": \"Spark Electric\", \"profile\": \"Electricians\"}}"));
        assertThat(c.replyFromNumber("+15550001111")).isEqualTo("+15550001111");
        assertThat(c.replyFromNumber("+15550002222")).isEqualTo("+15550002222");
        assertThat(c.replyFromNumber("+14158161286")).isEqualTo("+15550001111");
        assertThat(c.replyFromNumber(null)).isEqualTo("+15550001111");
        assertThat(FrontDeskConfig.builder().twilioMessagingServiceSid("MG0123").build().replyFromNumber("+14158161286"))
                .as("with only a Messaging Service, it picks the sender").isNull();
    }
}
