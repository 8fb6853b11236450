package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.EnvReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The front desk's own settings, immutable, in groups: the {@link Business} (names, profiles, hours, zone,
 * region), the {@link Replies} (deadline, fallback and HELP texts, length, history, takeover), the
 * {@link AbuseLimits}, the {@link Pricing} with the monthly budget, the {@link TwilioNumbers} Twilio talks to
 * and is answered from, and the {@link ClientSetup} the status page reports. Built from environment variables
 * ({@link #fromEnvironment}) or a {@link Builder}.
 *
 * <p>It holds no secret and no client setting: the Twilio credentials, the OpenAI key and model settings, the
 * staff key, the database and the HTTP port are read by the parts that use them
 * ({@code TwilioSmsGateway.Builder.fromEnvironment}, {@code OpenAiReplyGenerator.Builder.fromEnvironment}, the
 * HTTP handler's builder, the host), so nothing that is handed a configuration can leak them; the output check
 * knows the secrets only by their {@link SecretFingerprints}. Thread-safe.
 */
public final class FrontDeskConfig {

    /** Twilio's price of one outbound US SMS segment, from the setup guide. */
    public static final BigDecimal DEFAULT_PRICE_OUTBOUND_SEGMENT = new BigDecimal("0.0075");
    /** gpt-4o-mini's input price per million tokens. */
    public static final BigDecimal DEFAULT_PRICE_AI_INPUT = new BigDecimal("0.15");
    /** gpt-4o-mini's output price per million tokens. */
    public static final BigDecimal DEFAULT_PRICE_AI_OUTPUT = new BigDecimal("0.60");
    /** {@code PUBLIC_BASE_URL} when unset: the example app's default port on this machine. */
    public static final String DEFAULT_PUBLIC_BASE_URL = "http://localhost:3001";
    /** {@code OPENAI_MODEL} when unset. */
    public static final String DEFAULT_AI_MODEL = "gpt-4o-mini";
    /** Path of the inbound webhook, relative to where the servlet is mounted. */
    public static final String INBOUND_PATH = "/api/twilio/sms/inbound";
    /** Path of the delivery-status webhook, relative to where the servlet is mounted. */
    public static final String STATUS_PATH = "/api/twilio/sms/status";
    /** Path of the voice webhook (a call comes in), relative to where the servlet is mounted. */
    public static final String VOICE_INBOUND_PATH = "/api/twilio/voice/inbound";
    /** Path Twilio posts a forwarded call's {@code DialCallStatus} to, relative to where the servlet is mounted. */
    public static final String VOICE_DIAL_STATUS_PATH = "/api/twilio/voice/dial-status";

    /**
     * What the AI knows about the business and where it is: {@code BUSINESS_NAME}, {@code BUSINESS_PROFILE},
     * per-number {@code BUSINESS_PROFILES} (keyed by E.164 number), {@code BUSINESS_HOURS} in their zone,
     * {@code BUSINESS_TIMEZONE} when set explicitly (quiet hours use it only then), and {@code DEFAULT_REGION}
     * for numbers written without a country code.
     */
    public record Business(String name, String profile, Map<String, BusinessProfile> profiles, BusinessHours hours,
                           Optional<ZoneId> explicitTimeZone, String defaultRegion) {
        public Business {
            Objects.requireNonNull(name, "name");
            profile = profile == null ? "" : profile;
            profiles = Map.copyOf(profiles);
            Objects.requireNonNull(hours, "hours");
            Objects.requireNonNull(explicitTimeZone, "explicitTimeZone");
            Objects.requireNonNull(defaultRegion, "defaultRegion");
        }

        /** {@code BUSINESS_TIMEZONE} (default UTC): business hours, usage days and the budget month. */
        public ZoneId timeZone() {
            return hours.zone();
        }
    }

    /**
     * How replies are written: {@code AI_TIMEOUT_SECONDS} (20), {@code FALLBACK_REPLY}, {@code HELP_REPLY} (null:
     * stay silent, Twilio answers HELP itself), {@code REPLY_MAX_CHARS} (320, 40 to 1600), the messages of
     * history given to the AI (20), {@code HUMAN_TAKEOVER_MINUTES} (120; 0 never), and {@code FOLLOW_UP_HOURS} as
     * {@code followUpAfter}, the quiet time after the business's last text before one nudge (zero: never).
     */
    public record Replies(Duration aiTimeout, String fallback, String help, int maxChars, int historyLimit,
                          int humanTakeoverMinutes, Duration followUpAfter) {
        public Replies {
            Objects.requireNonNull(aiTimeout, "aiTimeout");
            Objects.requireNonNull(fallback, "fallback");
            Objects.requireNonNull(followUpAfter, "followUpAfter");
            if (aiTimeout.isNegative() || aiTimeout.isZero()) {
                throw new ConfigurationException("aiTimeout must be positive, was " + aiTimeout + ".");
            }
            if (maxChars < 40 || maxChars > 1600) {
                throw new ConfigurationException("replyMaxChars must be between 40 and 1600, was " + maxChars + ".");
            }
            if (historyLimit < 1) {
                throw new ConfigurationException("historyLimit must be at least 1, was " + historyLimit + ".");
            }
            if (humanTakeoverMinutes < 0) {
                throw new ConfigurationException("humanTakeoverMinutes must not be negative, was " + humanTakeoverMinutes + ".");
            }
            if (followUpAfter.isNegative()) {
                throw new ConfigurationException("followUpAfter must not be negative, was " + followUpAfter + ".");
            }
            if (fallback.length() > 1600) {
                throw new ConfigurationException("fallbackReply must be at most 1,600 characters.");
            }
        }
    }

    /**
     * Abuse caps: {@code AI_REPLIES_PER_LEAD_PER_HOUR} (20), {@code AI_REPLIES_PER_HOUR} (1000),
     * {@code AUTO_REPLIES_PER_HOUR} (2000, automatic texts of any kind over all leads), {@code OUTBOUND_PER_MINUTE}
     * (60 staff texts) and {@code REPLY_COUNTRIES} (upper-case ISO 3166 regions whose numbers get automatic
     * replies; empty for all).
     */
    public record AbuseLimits(int aiRepliesPerLeadPerHour, int aiRepliesPerHour, int autoRepliesPerHour, int outboundPerMinute,
                              Set<String> replyCountries) {
        public AbuseLimits {
            replyCountries = Set.copyOf(replyCountries);
            if (autoRepliesPerHour < 0) {
                throw new ConfigurationException("autoRepliesPerHour must not be negative, was " + autoRepliesPerHour + ".");
            }
            ReplyCountries.check("replyCountries", replyCountries);
        }
    }

    /**
     * The cost estimate in US dollars: {@code PRICE_OUTBOUND_SEGMENT_USD} (0.0075), {@code PRICE_INBOUND_SEGMENT_USD}
     * (0), {@code PRICE_AI_INPUT_PER_MILLION_TOKENS_USD} (0.15), {@code PRICE_AI_OUTPUT_PER_MILLION_TOKENS_USD}
     * (0.60), and {@code MONTHLY_BUDGET_USD}, the cap past which only fallback replies go out (null: none).
     */
    public record Pricing(BigDecimal outboundSegment, BigDecimal inboundSegment, BigDecimal aiInputPerMillionTokens,
                          BigDecimal aiOutputPerMillionTokens, BigDecimal monthlyBudget) {
        public Pricing {
            Objects.requireNonNull(outboundSegment, "priceOutboundSegment");
            Objects.requireNonNull(inboundSegment, "priceInboundSegment");
            Objects.requireNonNull(aiInputPerMillionTokens, "priceAiInputPerMillionTokens");
            Objects.requireNonNull(aiOutputPerMillionTokens, "priceAiOutputPerMillionTokens");
            if (monthlyBudget != null && monthlyBudget.signum() < 0) {
                throw new ConfigurationException("monthlyBudget must not be negative, was " + monthlyBudget + ".");
            }
        }
    }

    /**
     * The Twilio-facing numbers and URL, none of them secret: {@code TWILIO_PHONE_NUMBER} (the default sender, or
     * null), {@code TWILIO_MESSAGING_SERVICE_SID} (or null), {@code TWILIO_VERIFIED_NUMBERS} (empty: ask Twilio),
     * {@code TWILIO_TEST_MODE} (true), {@code PUBLIC_BASE_URL}, no trailing slash, the URL Twilio calls, and
     * {@code OWNER_PHONE_NUMBER} (or null), the owner's own phone: calls to the business are forwarded there and
     * owner alerts go there.
     */
    public record TwilioNumbers(PhoneNumber phoneNumber, String messagingServiceSid, List<PhoneNumber> verifiedNumbers,
                                boolean testMode, String publicBaseUrl, PhoneNumber ownerPhoneNumber) {
        public TwilioNumbers {
            verifiedNumbers = List.copyOf(verifiedNumbers);
            Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
        }
    }

    private final Business business;
    private final Replies replies;
    private final AbuseLimits limits;
    private final Pricing pricing;
    private final TwilioNumbers twilio;
    private final ClientSetup setup;
    private final SecretFingerprints secretFingerprints;

    private FrontDeskConfig(Builder b, BusinessHours hours) {
        business = new Business(b.businessName, b.businessProfile, b.businessProfiles, hours,
                Optional.ofNullable(b.businessTimeZone), b.defaultRegion);
        replies = new Replies(b.aiTimeout, b.fallbackReply != null ? b.fallbackReply
                : "Thanks for texting " + b.businessName + "! We got your message and a member of our team will get back to you shortly.",
                b.helpReply, b.replyMaxChars, b.historyLimit, b.humanTakeoverMinutes, b.followUpAfter);
        limits = new AbuseLimits(b.aiRepliesPerLeadPerHour, b.aiRepliesPerHour, b.autoRepliesPerHour, b.outboundPerMinute,
                b.replyCountries);
        pricing = new Pricing(b.priceOutboundSegment, b.priceInboundSegment, b.priceAiInputPerMillionTokens,
                b.priceAiOutputPerMillionTokens, b.monthlyBudget);
        twilio = new TwilioNumbers(b.twilioPhoneNumber, b.twilioMessagingServiceSid, b.twilioVerifiedNumbers, b.twilioTestMode,
                stripSlash(b.publicBaseUrl), b.ownerPhoneNumber);
        setup = b.setup;
        secretFingerprints = b.secretFingerprints;
    }

    /**
     * Reads the front desk's variables from {@code env} (usually {@code System.getenv()}); unset or blank
     * variables take their defaults. Of the clients' variables it reads only whether they are set ({@link ClientSetup}).
     *
     * @throws ConfigurationException naming the variable when a value is malformed
     */
    public static FrontDeskConfig fromEnvironment(Map<String, String> env) {
        return EnvironmentConfig.read(new EnvReader(env), builder()).setup(ClientSetup.fromEnvironment(env))
                .secretFingerprints(SecretFingerprints.fromEnvironment(env)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.businessName = business.name();
        b.businessProfile = business.profile();
        b.businessProfiles = business.profiles();
        b.businessHours = business.hours();
        b.businessTimeZone = business.explicitTimeZone().orElse(null);
        b.defaultRegion = business.defaultRegion();
        b.aiTimeout = replies.aiTimeout();
        b.fallbackReply = replies.fallback();
        b.helpReply = replies.help();
        b.replyMaxChars = replies.maxChars();
        b.historyLimit = replies.historyLimit();
        b.humanTakeoverMinutes = replies.humanTakeoverMinutes();
        b.followUpAfter = replies.followUpAfter();
        b.aiRepliesPerLeadPerHour = limits.aiRepliesPerLeadPerHour();
        b.aiRepliesPerHour = limits.aiRepliesPerHour();
        b.autoRepliesPerHour = limits.autoRepliesPerHour();
        b.outboundPerMinute = limits.outboundPerMinute();
        b.replyCountries = limits.replyCountries();
        b.priceOutboundSegment = pricing.outboundSegment();
        b.priceInboundSegment = pricing.inboundSegment();
        b.priceAiInputPerMillionTokens = pricing.aiInputPerMillionTokens();
        b.priceAiOutputPerMillionTokens = pricing.aiOutputPerMillionTokens();
        b.monthlyBudget = pricing.monthlyBudget();
        b.twilioPhoneNumber = twilio.phoneNumber();
        b.twilioMessagingServiceSid = twilio.messagingServiceSid();
        b.twilioVerifiedNumbers = twilio.verifiedNumbers();
        b.twilioTestMode = twilio.testMode();
        b.publicBaseUrl = twilio.publicBaseUrl();
        b.ownerPhoneNumber = twilio.ownerPhoneNumber();
        b.setup = setup;
        b.secretFingerprints = secretFingerprints;
        return b;
    }

    public Business business() { return business; }
    public Replies replies() { return replies; }
    public AbuseLimits limits() { return limits; }
    public Pricing pricing() { return pricing; }
    public TwilioNumbers twilio() { return twilio; }
    public ClientSetup setup() { return setup; }
    /** Fingerprints of the host's secrets, for the output check; never the secrets themselves. */
    public SecretFingerprints secretFingerprints() { return secretFingerprints; }

    /** The Twilio variables that are missing for sending: account SID, auth token, and a number or Messaging Service. */
    public List<String> missingTwilioVariables() {
        return java.util.stream.Stream.of(setup.twilioAccountSidSet() ? null : "TWILIO_ACCOUNT_SID",
                setup.twilioAuthTokenSet() ? null : "TWILIO_AUTH_TOKEN",
                twilio.phoneNumber() != null || twilio.messagingServiceSid() != null ? null : "TWILIO_PHONE_NUMBER")
                .filter(Objects::nonNull).toList();
    }

    /** Whether every Twilio variable needed to send is set. */
    public boolean twilioConfigured() {
        return missingTwilioVariables().isEmpty();
    }

    /** Whether an OpenAI key is set, so replies come from the model rather than the fallback text. */
    public boolean aiConfigured() {
        return setup.aiConfigured();
    }

    /** The URL Twilio must call for inbound SMS: {@code PUBLIC_BASE_URL} + {@value #INBOUND_PATH}. */
    public String inboundWebhookUrl() {
        return twilio.publicBaseUrl() + INBOUND_PATH;
    }

    /** The URL Twilio must call when a call comes in: {@code PUBLIC_BASE_URL} + {@value #VOICE_INBOUND_PATH}. */
    public String voiceWebhookUrl() {
        return twilio.publicBaseUrl() + VOICE_INBOUND_PATH;
    }

    /** The StatusCallback URL sent with every message: {@code PUBLIC_BASE_URL} + {@value #STATUS_PATH}. */
    public String statusCallbackUrl() {
        return twilio.publicBaseUrl() + STATUS_PATH;
    }

    /**
     * Whether texts from {@code number} are answered automatically under {@code REPLY_COUNTRIES}: always when it
     * is unset; else when the number's region is listed. The region is libphonenumber's for the number, or, for
     * a number it does not know as assigned (such as {@code +1555...}), the main region of its country code;
     * numbers of no region (international networks such as {@code +882}) are then never answered.
     */
    public boolean answersAutomatically(PhoneNumber number) {
        return limits.replyCountries().isEmpty() || limits.replyCountries().contains(ReplyCountries.regionOf(number));
    }

    /**
     * The business as the reply generator sees it when a customer texted {@code number}: that number's entry
     * in {@code BUSINESS_PROFILES} if it has one, else {@code BUSINESS_NAME} and {@code BUSINESS_PROFILE} with
     * {@code number} (or {@code TWILIO_PHONE_NUMBER}) as the business's own number.
     */
    public BusinessProfile businessProfileFor(String number) {
        if (number != null) {
            BusinessProfile p = business.profiles().get(number);
            if (p != null) {
                return p;
            }
            return new BusinessProfile(business.name(), business.profile(), number);
        }
        return businessProfileRecord();
    }

    /**
     * The number a reply goes out from when the customer texted {@code texted}: {@code texted} itself when it is
     * one of the business's configured numbers ({@code TWILIO_PHONE_NUMBER} or a {@code BUSINESS_PROFILES} key),
     * else {@code TWILIO_PHONE_NUMBER}; null when that is unset too (the Messaging Service then picks the
     * sender). A webhook naming some other {@code To} never makes the business text from a number not its own.
     */
    public String replyFromNumber(String texted) {
        PhoneNumber own = twilio.phoneNumber();
        if (texted != null && (business.profiles().containsKey(texted) || (own != null && own.value().equals(texted)))) {
            return texted;
        }
        return own == null ? null : own.value();
    }

    /**
     * {@link #replyFromNumber} on {@code channel}: {@code texted} may be a channel address ({@code whatsapp:+1555...},
     * the {@code To} of a WhatsApp message), and the answer is one too ({@code whatsapp:} and the business's number);
     * null when no number is configured (the Messaging Service then picks the sender).
     */
    public String replyFromAddress(String texted, Channel channel) {
        return channel.address(replyFromNumber(channel.number(texted)));
    }

    /** The business as the reply generator sees it. */
    public BusinessProfile businessProfileRecord() {
        return new BusinessProfile(business.name(), business.profile(),
                twilio.phoneNumber() == null ? null : twilio.phoneNumber().value());
    }

    /** Every setting but the business's texts (profiles and fallback), which are long and the host's own. */
    @Override
    public String toString() {
        return "FrontDeskConfig{businessName=" + business.name()
                + ", twilioPhoneNumber=" + (twilio.phoneNumber() == null ? null : twilio.phoneNumber().value())
                + ", twilioTestMode=" + twilio.testMode()
                + ", twilioVerifiedNumbers=" + twilio.verifiedNumbers().size() + " numbers"
                + ", twilioMessagingServiceSid=" + twilio.messagingServiceSid()
                + ", publicBaseUrl=" + twilio.publicBaseUrl()
                + ", ownerPhoneNumber=" + (twilio.ownerPhoneNumber() == null ? null : "set")
                + ", setup=" + setup
                + ", aiTimeout=" + replies.aiTimeout() + '}';
    }

    private static String stripSlash(String url) {
        return url.strip().replaceAll("/+$", "");
    }

    /** Builds a {@link FrontDeskConfig}; every setting starts at its documented default. Not thread-safe. */
    public static final class Builder {
        private PhoneNumber twilioPhoneNumber;
        private boolean twilioTestMode = true;
        private List<PhoneNumber> twilioVerifiedNumbers = List.of();
        private String twilioMessagingServiceSid;
        private String publicBaseUrl = DEFAULT_PUBLIC_BASE_URL;
        private PhoneNumber ownerPhoneNumber;
        private String businessName = "our business";
        private String businessProfile = "";
        private Duration aiTimeout = Duration.ofSeconds(20);
        private String fallbackReply;
        private String helpReply;
        private String defaultRegion = PhoneNumber.DEFAULT_REGION;
        private int replyMaxChars = 320;
        private int historyLimit = 20;
        private int aiRepliesPerLeadPerHour = 20;
        private int aiRepliesPerHour = 1000;
        private int autoRepliesPerHour = 2000;
        private int outboundPerMinute = 60;
        private Set<String> replyCountries = Set.of();
        private int humanTakeoverMinutes = 120;
        private Duration followUpAfter = Duration.ZERO;
        private Map<String, BusinessProfile> businessProfiles = Map.of();
        private BusinessHours businessHours = BusinessHours.ALWAYS;
        private ZoneId businessTimeZone;
        private BigDecimal priceOutboundSegment = DEFAULT_PRICE_OUTBOUND_SEGMENT;
        private BigDecimal priceInboundSegment = BigDecimal.ZERO;
        private BigDecimal priceAiInputPerMillionTokens = DEFAULT_PRICE_AI_INPUT;
        private BigDecimal priceAiOutputPerMillionTokens = DEFAULT_PRICE_AI_OUTPUT;
        private BigDecimal monthlyBudget;
        private ClientSetup setup = ClientSetup.NONE;
        private SecretFingerprints secretFingerprints = SecretFingerprints.NONE;

        private Builder() {
        }

        public Builder twilioPhoneNumber(PhoneNumber v) { twilioPhoneNumber = v; return this; }
        public Builder twilioTestMode(boolean v) { twilioTestMode = v; return this; }
        public Builder twilioVerifiedNumbers(List<PhoneNumber> v) { twilioVerifiedNumbers = List.copyOf(v); return this; }
        public Builder twilioMessagingServiceSid(String v) { twilioMessagingServiceSid = blank(v); return this; }
        /** {@code PUBLIC_BASE_URL}; null or blank for the default {@value #DEFAULT_PUBLIC_BASE_URL}. */
        public Builder publicBaseUrl(String v) { publicBaseUrl = blank(v) == null ? DEFAULT_PUBLIC_BASE_URL : blank(v); return this; }
        /** {@code OWNER_PHONE_NUMBER}: where calls are forwarded and owner alerts go; null for none. */
        public Builder ownerPhoneNumber(PhoneNumber v) { ownerPhoneNumber = v; return this; }
        public Builder businessName(String v) { businessName = Objects.requireNonNull(v, "businessName"); return this; }
        public Builder businessProfile(String v) { businessProfile = v == null ? "" : v; return this; }
        public Builder aiTimeout(Duration v) { aiTimeout = Objects.requireNonNull(v, "aiTimeout"); return this; }
        public Builder fallbackReply(String v) { fallbackReply = blank(v); return this; }
        public Builder helpReply(String v) { helpReply = blank(v); return this; }
        public Builder defaultRegion(String v) { defaultRegion = Objects.requireNonNull(v, "defaultRegion").toUpperCase(java.util.Locale.ROOT); return this; }
        public Builder replyMaxChars(int v) { replyMaxChars = v; return this; }
        public Builder historyLimit(int v) { historyLimit = v; return this; }
        public Builder aiRepliesPerLeadPerHour(int v) { aiRepliesPerLeadPerHour = v; return this; }
        public Builder aiRepliesPerHour(int v) { aiRepliesPerHour = v; return this; }
        /** Automatic texts (AI or fallback) per hour over all leads; past it, texts are stored and not answered. */
        public Builder autoRepliesPerHour(int v) { autoRepliesPerHour = v; return this; }
        public Builder outboundPerMinute(int v) { outboundPerMinute = v; return this; }
        /**
         * ISO 3166 regions ({@code US}, {@code CA}) whose numbers get automatic replies; empty for all.
         * @throws ConfigurationException at {@link #build()} for a code that is no region
         */
        public Builder replyCountries(Set<String> v) { replyCountries = Set.copyOf(v); return this; }
        public Builder humanTakeoverMinutes(int v) { humanTakeoverMinutes = v; return this; }
        /** {@code FOLLOW_UP_HOURS}: quiet time after the business's last text before one nudge; zero (default) never. */
        public Builder followUpAfter(Duration v) { followUpAfter = Objects.requireNonNull(v, "followUpAfter"); return this; }
        /** Per-number profiles, keyed by E.164 number; each profile's phone number is that number. */
        public Builder businessProfiles(Map<String, BusinessProfile> v) { businessProfiles = Map.copyOf(v); return this; }
        public Builder businessHours(BusinessHours v) { businessHours = Objects.requireNonNull(v, "businessHours"); return this; }
        /**
         * {@code BUSINESS_TIMEZONE} set explicitly (null: not set, UTC is used for hours, usage and budget): the
         * zone of business hours, usage days and the budget month, and the zone quiet hours assume for
         * customers whose number has no known zone. Business hours given in another zone are refused at build.
         */
        public Builder businessTimeZone(ZoneId v) { businessTimeZone = v; return this; }
        public Builder priceOutboundSegment(BigDecimal v) { priceOutboundSegment = Objects.requireNonNull(v, "priceOutboundSegment"); return this; }
        public Builder priceInboundSegment(BigDecimal v) { priceInboundSegment = Objects.requireNonNull(v, "priceInboundSegment"); return this; }
        public Builder priceAiInputPerMillionTokens(BigDecimal v) { priceAiInputPerMillionTokens = Objects.requireNonNull(v, "priceAiInputPerMillionTokens"); return this; }
        public Builder priceAiOutputPerMillionTokens(BigDecimal v) { priceAiOutputPerMillionTokens = Objects.requireNonNull(v, "priceAiOutputPerMillionTokens"); return this; }
        /** Monthly spending cap in US dollars, or null for none. */
        public Builder monthlyBudget(BigDecimal v) { monthlyBudget = v; return this; }
        /** What the status page reports of the clients (default {@link ClientSetup#NONE}). */
        public Builder setup(ClientSetup v) { setup = Objects.requireNonNull(v, "setup"); return this; }
        /** Fingerprints of secrets no reply may quote (default none; {@link #fromEnvironment} takes the host's). */
        public Builder secretFingerprints(SecretFingerprints v) { secretFingerprints = Objects.requireNonNull(v, "secretFingerprints"); return this; }

        /** @throws ConfigurationException naming the field when a value is out of range */
        public FrontDeskConfig build() {
            BusinessHours hours = businessHours;
            if (businessTimeZone != null && !businessTimeZone.equals(hours.zone())) {
                if (hours.configured()) {
                    throw new ConfigurationException("businessHours are in " + hours.zone().getId() + " but businessTimeZone is "
                            + businessTimeZone.getId() + "; give the hours in the business's time zone.");
                }
                hours = BusinessHours.parse(null, businessTimeZone);
            }
            return new FrontDeskConfig(this, hours);
        }

        private static String blank(String v) {
            return v == null || v.isBlank() ? null : v.strip();
        }
    }
}
