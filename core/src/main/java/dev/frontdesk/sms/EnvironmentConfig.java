package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.EnvReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Reads the front desk's own variables into a {@link FrontDeskConfig.Builder}. Stateless. */
final class EnvironmentConfig {
    private EnvironmentConfig() {
    }

    static FrontDeskConfig.Builder read(EnvReader r, FrontDeskConfig.Builder b) {
        String region = r.get("DEFAULT_REGION");
        String defaultRegion = region != null ? region : PhoneNumber.DEFAULT_REGION;
        b.defaultRegion(defaultRegion);
        String phone = r.get("TWILIO_PHONE_NUMBER");
        if (phone != null) {
            b.twilioPhoneNumber(r.phone("TWILIO_PHONE_NUMBER", phone, defaultRegion));
        }
        b.twilioTestMode(r.bool("TWILIO_TEST_MODE", true));
        String verified = r.get("TWILIO_VERIFIED_NUMBERS");
        if (verified != null) {
            List<PhoneNumber> numbers = new ArrayList<>();
            for (String part : verified.split(",")) {
                if (!part.isBlank()) {
                    numbers.add(r.phone("TWILIO_VERIFIED_NUMBERS", part, defaultRegion));
                }
            }
            b.twilioVerifiedNumbers(numbers);
        }
        b.twilioMessagingServiceSid(r.get("TWILIO_MESSAGING_SERVICE_SID"));
        b.publicBaseUrl(r.url("PUBLIC_BASE_URL", null));
        String owner = r.get("OWNER_PHONE_NUMBER");
        if (owner != null) {
            b.ownerPhoneNumber(r.phone("OWNER_PHONE_NUMBER", owner, defaultRegion));
        }
        String name = r.get("BUSINESS_NAME");
        if (name != null) {
            b.businessName(name);
        }
        b.businessProfile(r.getOr("BUSINESS_PROFILE", ""));
        b.aiTimeout(Duration.ofSeconds(r.integer("AI_TIMEOUT_SECONDS", 20, 1, 600)));
        b.fallbackReply(r.get("FALLBACK_REPLY"));
        b.helpReply(r.get("HELP_REPLY"));
        b.replyMaxChars(r.integer("REPLY_MAX_CHARS", 320, 40, 1600));
        b.aiRepliesPerLeadPerHour(r.integer("AI_REPLIES_PER_LEAD_PER_HOUR", 20, 0, Integer.MAX_VALUE));
        b.aiRepliesPerHour(r.integer("AI_REPLIES_PER_HOUR", 1000, 0, Integer.MAX_VALUE));
        b.autoRepliesPerHour(r.integer("AUTO_REPLIES_PER_HOUR", 2000, 0, Integer.MAX_VALUE));
        b.outboundPerMinute(r.integer("OUTBOUND_PER_MINUTE", 60, 0, Integer.MAX_VALUE));
        b.replyCountries(r.regions("REPLY_COUNTRIES", ReplyCountries::check));
        b.humanTakeoverMinutes(r.integer("HUMAN_TAKEOVER_MINUTES", 120, 0, 100_000));
        b.followUpAfter(r.hours("FOLLOW_UP_HOURS", 100_000));
        b.businessProfiles(r.profiles("BUSINESS_PROFILES", defaultRegion));
        ZoneId zone = r.zone("BUSINESS_TIMEZONE");
        b.businessHours(BusinessHours.parse(r.get("BUSINESS_HOURS"), zone));
        if (r.get("BUSINESS_TIMEZONE") != null) {
            b.businessTimeZone(zone);
        }
        b.priceOutboundSegment(r.money("PRICE_OUTBOUND_SEGMENT_USD", FrontDeskConfig.DEFAULT_PRICE_OUTBOUND_SEGMENT));
        b.priceInboundSegment(r.money("PRICE_INBOUND_SEGMENT_USD", BigDecimal.ZERO));
        b.priceAiInputPerMillionTokens(r.money("PRICE_AI_INPUT_PER_MILLION_TOKENS_USD", FrontDeskConfig.DEFAULT_PRICE_AI_INPUT));
        b.priceAiOutputPerMillionTokens(r.money("PRICE_AI_OUTPUT_PER_MILLION_TOKENS_USD", FrontDeskConfig.DEFAULT_PRICE_AI_OUTPUT));
        b.monthlyBudget(r.money("MONTHLY_BUDGET_USD", null));
        return b;
    }
}
