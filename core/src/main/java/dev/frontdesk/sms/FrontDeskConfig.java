package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.LogSafe;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;

/**
 * The library's configuration: immutable, built from environment variables ({@link #fromEnvironment})
 * or a {@link Builder}. Each setting has one environment variable, named where it is read.
 *
 * <p>{@link #toString()} never shows the Twilio auth token, the OpenAI key, the staff API key or the
 * database password. Thread-safe.
 */
public final class FrontDeskConfig {

    public static final String DEFAULT_TWILIO_API_BASE_URL = "https://api.twilio.com";
    public static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
    public static final String DEFAULT_DATABASE_URL = "jdbc:h2:file:./data/frontdesk";
    public static final int DEFAULT_PORT = 3001;
    private static final double MIN_TEMPERATURE = 0;
    private static final double MAX_TEMPERATURE = 2;
    /** Twilio's price of one outbound US SMS segment, from the setup guide. */
    public static final BigDecimal DEFAULT_PRICE_OUTBOUND_SEGMENT = new BigDecimal("0.0075");
    /** gpt-4o-mini's input price per million tokens. */
    public static final BigDecimal DEFAULT_PRICE_AI_INPUT = new BigDecimal("0.15");
    /** gpt-4o-mini's output price per million tokens. */
    public static final BigDecimal DEFAULT_PRICE_AI_OUTPUT = new BigDecimal("0.60");
    /** Path of the inbound webhook, relative to where the servlet is mounted. */
    public static final String INBOUND_PATH = "/api/twilio/sms/inbound";
    /** Path of the delivery-status webhook, relative to where the servlet is mounted. */
    public static final String STATUS_PATH = "/api/twilio/sms/status";

    private final String twilioAccountSid;
    private final String twilioAuthToken;
    private final PhoneNumber twilioPhoneNumber;
    private final boolean twilioTestMode;
    private final List<PhoneNumber> twilioVerifiedNumbers;
    private final String twilioMessagingServiceSid;
    private final String twilioApiBaseUrl;
    private final String publicBaseUrl;
    private final String openAiApiKey;
    private final String openAiBaseUrl;
    private final String openAiModel;
    private final Double openAiTemperature;
    private final String businessName;
    private final String businessProfile;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final String apiKey;
    private final int port;
    private final Duration aiTimeout;
    private final String fallbackReply;
    private final String helpReply;
    private final String defaultRegion;
    private final int replyMaxChars;
    private final int historyLimit;
    private final int aiRepliesPerLeadPerHour;
    private final int aiRepliesPerHour;
    private final int autoRepliesPerHour;
    private final Set<String> replyCountries;
    private final int outboundPerMinute;
    private final int humanTakeoverMinutes;
    private final Map<String, BusinessProfile> businessProfiles;
    private final BusinessHours businessHours;
    private final ZoneId explicitBusinessTimeZone;
    private final BigDecimal priceOutboundSegment;
    private final BigDecimal priceInboundSegment;
    private final BigDecimal priceAiInputPerMillionTokens;
    private final BigDecimal priceAiOutputPerMillionTokens;
    private final BigDecimal monthlyBudget;

    private FrontDeskConfig(Builder b) {
        twilioAccountSid = b.twilioAccountSid;
        twilioAuthToken = b.twilioAuthToken;
        twilioPhoneNumber = b.twilioPhoneNumber;
        twilioTestMode = b.twilioTestMode;
        twilioVerifiedNumbers = List.copyOf(b.twilioVerifiedNumbers);
        twilioMessagingServiceSid = b.twilioMessagingServiceSid;
        twilioApiBaseUrl = stripSlash(b.twilioApiBaseUrl);
        port = b.port;
        publicBaseUrl = stripSlash(b.publicBaseUrl != null ? b.publicBaseUrl : "http://localhost:" + b.port);
        openAiApiKey = b.openAiApiKey;
        openAiBaseUrl = stripSlash(b.openAiBaseUrl);
        openAiModel = b.openAiModel;
        openAiTemperature = b.openAiTemperature;
        businessName = b.businessName;
        businessProfile = b.businessProfile;
        databaseUrl = b.databaseUrl;
        databaseUser = b.databaseUser;
        databasePassword = b.databasePassword;
        apiKey = b.apiKey;
        aiTimeout = b.aiTimeout;
        fallbackReply = b.fallbackReply != null ? b.fallbackReply
                : "Thanks for texting " + b.businessName + "! We got your message and a member of our team will get back to you shortly.";
        helpReply = b.helpReply;
        defaultRegion = b.defaultRegion;
        replyMaxChars = b.replyMaxChars;
        historyLimit = b.historyLimit;
        aiRepliesPerLeadPerHour = b.aiRepliesPerLeadPerHour;
        aiRepliesPerHour = b.aiRepliesPerHour;
        autoRepliesPerHour = b.autoRepliesPerHour;
        replyCountries = Set.copyOf(b.replyCountries);
        outboundPerMinute = b.outboundPerMinute;
        humanTakeoverMinutes = b.humanTakeoverMinutes;
        businessProfiles = Map.copyOf(b.businessProfiles);
        businessHours = b.businessHours;
        explicitBusinessTimeZone = b.businessTimeZone;
        priceOutboundSegment = b.priceOutboundSegment;
        priceInboundSegment = b.priceInboundSegment;
        priceAiInputPerMillionTokens = b.priceAiInputPerMillionTokens;
        priceAiOutputPerMillionTokens = b.priceAiOutputPerMillionTokens;
        monthlyBudget = b.monthlyBudget;
    }

    /**
     * Reads the configuration variables from {@code env} (usually {@code System.getenv()}); unset or blank
     * variables take their defaults.
     *
     * @throws ConfigurationException naming the variable when a value is malformed
     */
    public static FrontDeskConfig fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        EnvReader r = new EnvReader(env);
        b.twilioAccountSid(r.get("TWILIO_ACCOUNT_SID"));
        b.twilioAuthToken(r.get("TWILIO_AUTH_TOKEN"));
        String region = r.get("DEFAULT_REGION");
        if (region != null) {
            b.defaultRegion(region);
        }
        String phone = r.get("TWILIO_PHONE_NUMBER");
        if (phone != null) {
            b.twilioPhoneNumber(r.phone("TWILIO_PHONE_NUMBER", phone, b.defaultRegion));
        }
        b.twilioTestMode(r.bool("TWILIO_TEST_MODE", true));
        String verified = r.get("TWILIO_VERIFIED_NUMBERS");
        if (verified != null) {
            List<PhoneNumber> numbers = new ArrayList<>();
            for (String part : verified.split(",")) {
                if (!part.isBlank()) {
                    numbers.add(r.phone("TWILIO_VERIFIED_NUMBERS", part, b.defaultRegion));
                }
            }
            b.twilioVerifiedNumbers(numbers);
        }
        b.twilioMessagingServiceSid(r.get("TWILIO_MESSAGING_SERVICE_SID"));
        b.twilioApiBaseUrl(r.url("TWILIO_API_BASE_URL", DEFAULT_TWILIO_API_BASE_URL));
        b.port(r.integer("PORT", DEFAULT_PORT, 0, 65535));
        b.publicBaseUrl(r.url("PUBLIC_BASE_URL", null));
        b.openAiApiKey(r.get("OPENAI_API_KEY"));
        b.openAiBaseUrl(r.url("OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL));
        b.openAiModel(r.getOr("OPENAI_MODEL", DEFAULT_OPENAI_MODEL));
        b.openAiTemperature(r.temperature("OPENAI_TEMPERATURE"));
        b.businessName(r.getOr("BUSINESS_NAME", b.businessName));
        b.businessProfile(r.getOr("BUSINESS_PROFILE", ""));
        b.databaseUrl(r.getOr("DATABASE_URL", DEFAULT_DATABASE_URL));
        b.databaseUser(r.get("DATABASE_USER"));
        b.databasePassword(r.get("DATABASE_PASSWORD"));
        b.apiKey(r.get("FRONTDESK_API_KEY"));
        b.aiTimeout(Duration.ofSeconds(r.integer("AI_TIMEOUT_SECONDS", 20, 1, 600)));
        b.fallbackReply(r.get("FALLBACK_REPLY"));
        b.helpReply(r.get("HELP_REPLY"));
        b.replyMaxChars(r.integer("REPLY_MAX_CHARS", 320, 40, 1600));
        b.aiRepliesPerLeadPerHour(r.integer("AI_REPLIES_PER_LEAD_PER_HOUR", 20, 0, Integer.MAX_VALUE));
        b.aiRepliesPerHour(r.integer("AI_REPLIES_PER_HOUR", 1000, 0, Integer.MAX_VALUE));
        b.autoRepliesPerHour(r.integer("AUTO_REPLIES_PER_HOUR", 2000, 0, Integer.MAX_VALUE));
        b.replyCountries(r.regions("REPLY_COUNTRIES"));
        b.outboundPerMinute(r.integer("OUTBOUND_PER_MINUTE", 60, 0, Integer.MAX_VALUE));
        b.humanTakeoverMinutes(r.integer("HUMAN_TAKEOVER_MINUTES", 120, 0, 100_000));
        b.businessProfiles(r.profiles("BUSINESS_PROFILES", b.defaultRegion));
        ZoneId zone = r.zone("BUSINESS_TIMEZONE");
        b.businessHours(BusinessHours.parse(r.get("BUSINESS_HOURS"), zone));
        if (r.get("BUSINESS_TIMEZONE") != null) {
            b.businessTimeZone(zone);
        }
        b.priceOutboundSegment(r.money("PRICE_OUTBOUND_SEGMENT_USD", DEFAULT_PRICE_OUTBOUND_SEGMENT));
        b.priceInboundSegment(r.money("PRICE_INBOUND_SEGMENT_USD", BigDecimal.ZERO));
        b.priceAiInputPerMillionTokens(r.money("PRICE_AI_INPUT_PER_MILLION_TOKENS_USD", DEFAULT_PRICE_AI_INPUT));
        b.priceAiOutputPerMillionTokens(r.money("PRICE_AI_OUTPUT_PER_MILLION_TOKENS_USD", DEFAULT_PRICE_AI_OUTPUT));
        b.monthlyBudget(r.money("MONTHLY_BUDGET_USD", null));
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.twilioAccountSid = twilioAccountSid;
        b.twilioAuthToken = twilioAuthToken;
        b.twilioPhoneNumber = twilioPhoneNumber;
        b.twilioTestMode = twilioTestMode;
        b.twilioVerifiedNumbers = twilioVerifiedNumbers;
        b.twilioMessagingServiceSid = twilioMessagingServiceSid;
        b.twilioApiBaseUrl = twilioApiBaseUrl;
        b.publicBaseUrl = publicBaseUrl;
        b.openAiApiKey = openAiApiKey;
        b.openAiBaseUrl = openAiBaseUrl;
        b.openAiModel = openAiModel;
        b.openAiTemperature = openAiTemperature;
        b.businessName = businessName;
        b.businessProfile = businessProfile;
        b.databaseUrl = databaseUrl;
        b.databaseUser = databaseUser;
        b.databasePassword = databasePassword;
        b.apiKey = apiKey;
        b.port = port;
        b.aiTimeout = aiTimeout;
        b.fallbackReply = fallbackReply;
        b.helpReply = helpReply;
        b.defaultRegion = defaultRegion;
        b.replyMaxChars = replyMaxChars;
        b.historyLimit = historyLimit;
        b.aiRepliesPerLeadPerHour = aiRepliesPerLeadPerHour;
        b.aiRepliesPerHour = aiRepliesPerHour;
        b.autoRepliesPerHour = autoRepliesPerHour;
        b.replyCountries = replyCountries;
        b.outboundPerMinute = outboundPerMinute;
        b.humanTakeoverMinutes = humanTakeoverMinutes;
        b.businessProfiles = businessProfiles;
        b.businessHours = businessHours;
        b.businessTimeZone = explicitBusinessTimeZone;
        b.priceOutboundSegment = priceOutboundSegment;
        b.priceInboundSegment = priceInboundSegment;
        b.priceAiInputPerMillionTokens = priceAiInputPerMillionTokens;
        b.priceAiOutputPerMillionTokens = priceAiOutputPerMillionTokens;
        b.monthlyBudget = monthlyBudget;
        return b;
    }

    /** The Twilio variables that are missing for sending: account SID, auth token, and a number or Messaging Service. */
    public List<String> missingTwilioVariables() {
        List<String> missing = new ArrayList<>();
        if (twilioAccountSid == null) {
            missing.add("TWILIO_ACCOUNT_SID");
        }
        if (twilioAuthToken == null) {
            missing.add("TWILIO_AUTH_TOKEN");
        }
        if (twilioPhoneNumber == null && twilioMessagingServiceSid == null) {
            missing.add("TWILIO_PHONE_NUMBER");
        }
        return List.copyOf(missing);
    }

    /** Whether every Twilio variable needed to send is set. */
    public boolean twilioConfigured() {
        return missingTwilioVariables().isEmpty();
    }

    /** Whether an OpenAI key is set, so replies come from the model rather than the fallback text. */
    public boolean aiConfigured() {
        return openAiApiKey != null;
    }

    /** The URL Twilio must call for inbound SMS: {@code PUBLIC_BASE_URL} + {@value #INBOUND_PATH}. */
    public String inboundWebhookUrl() {
        return publicBaseUrl + INBOUND_PATH;
    }

    /** The StatusCallback URL sent with every message: {@code PUBLIC_BASE_URL} + {@value #STATUS_PATH}. */
    public String statusCallbackUrl() {
        return publicBaseUrl + STATUS_PATH;
    }

    public String twilioAccountSid() { return twilioAccountSid; }
    /** The secret Twilio signs webhooks with; never log it. */
    public String twilioAuthToken() { return twilioAuthToken; }
    public PhoneNumber twilioPhoneNumber() { return twilioPhoneNumber; }
    public boolean twilioTestMode() { return twilioTestMode; }
    public List<PhoneNumber> twilioVerifiedNumbers() { return twilioVerifiedNumbers; }
    public String twilioMessagingServiceSid() { return twilioMessagingServiceSid; }
    public String twilioApiBaseUrl() { return twilioApiBaseUrl; }
    public String publicBaseUrl() { return publicBaseUrl; }
    /** Never log it. */
    public String openAiApiKey() { return openAiApiKey; }
    public String openAiBaseUrl() { return openAiBaseUrl; }
    public String openAiModel() { return openAiModel; }
    /**
     * {@code OPENAI_TEMPERATURE}: the sampling temperature sent to the model, between 0 and 2, or null
     * (the default) to send none, which reasoning models require.
     */
    public Double openAiTemperature() { return openAiTemperature; }
    public String businessName() { return businessName; }
    public String businessProfile() { return businessProfile; }
    public String databaseUrl() { return databaseUrl; }
    public String databaseUser() { return databaseUser; }
    /** Never log it. */
    public String databasePassword() { return databasePassword; }
    /** The staff bearer key, or null when the host has not set one; never log it. */
    public String apiKey() { return apiKey; }
    public int port() { return port; }
    public Duration aiTimeout() { return aiTimeout; }
    public String fallbackReply() { return fallbackReply; }
    /** The answer to HELP/INFO, or null to stay silent (Twilio answers HELP itself). */
    public String helpReply() { return helpReply; }
    public String defaultRegion() { return defaultRegion; }
    public int replyMaxChars() { return replyMaxChars; }
    public int historyLimit() { return historyLimit; }
    public int aiRepliesPerLeadPerHour() { return aiRepliesPerLeadPerHour; }
    public int aiRepliesPerHour() { return aiRepliesPerHour; }
    /** {@code AUTO_REPLIES_PER_HOUR}: automatic texts of any kind (AI or fallback) in the last hour, over all leads (default 2000). */
    public int autoRepliesPerHour() { return autoRepliesPerHour; }
    /**
     * {@code REPLY_COUNTRIES}: the ISO 3166 regions (upper case) whose numbers get automatic replies; empty (the
     * default) for every region.
     */
    public Set<String> replyCountries() { return replyCountries; }

    /**
     * Whether texts from {@code number} are answered automatically under {@code REPLY_COUNTRIES}: always when it
     * is unset; else when the number's region is listed. The region is libphonenumber's for the number, or, for
     * a number it does not know as assigned (such as {@code +1555...}), the main region of its country code;
     * numbers of no region (international networks such as {@code +882}) are then never answered.
     */
    public boolean answersAutomatically(PhoneNumber number) {
        return replyCountries.isEmpty() || replyCountries.contains(ReplyCountries.regionOf(number));
    }
    public int outboundPerMinute() { return outboundPerMinute; }
    public int humanTakeoverMinutes() { return humanTakeoverMinutes; }
    /** Per-number business name and profile ({@code BUSINESS_PROFILES}), keyed by E.164 number. */
    public Map<String, BusinessProfile> businessProfiles() { return businessProfiles; }
    /** {@code BUSINESS_HOURS} in {@code BUSINESS_TIMEZONE}; {@link BusinessHours#ALWAYS} when unset. */
    public BusinessHours businessHours() { return businessHours; }
    /** {@code BUSINESS_TIMEZONE} (default UTC): business hours, usage days and the budget month. */
    public ZoneId businessTimeZone() { return businessHours.zone(); }
    /**
     * {@code BUSINESS_TIMEZONE} when it was set explicitly, empty when the UTC default is in use. Quiet hours
     * use it for customers whose number has no known time zone; without it, such cold texts are not checked
     * (a UTC clock would hold back texts to a US customer from the early afternoon on).
     */
    public Optional<ZoneId> explicitBusinessTimeZone() { return Optional.ofNullable(explicitBusinessTimeZone); }
    /** {@code PRICE_OUTBOUND_SEGMENT_USD}, default 0.0075. */
    public BigDecimal priceOutboundSegment() { return priceOutboundSegment; }
    /** {@code PRICE_INBOUND_SEGMENT_USD}, default 0. */
    public BigDecimal priceInboundSegment() { return priceInboundSegment; }
    /** {@code PRICE_AI_INPUT_PER_MILLION_TOKENS_USD}, default 0.15 (gpt-4o-mini). */
    public BigDecimal priceAiInputPerMillionTokens() { return priceAiInputPerMillionTokens; }
    /** {@code PRICE_AI_OUTPUT_PER_MILLION_TOKENS_USD}, default 0.60 (gpt-4o-mini). */
    public BigDecimal priceAiOutputPerMillionTokens() { return priceAiOutputPerMillionTokens; }
    /** {@code MONTHLY_BUDGET_USD}, or null for no budget. */
    public BigDecimal monthlyBudget() { return monthlyBudget; }

    /**
     * The business as the reply generator sees it when a customer texted {@code number}: that number's entry
     * in {@code BUSINESS_PROFILES} if it has one, else {@code BUSINESS_NAME} and {@code BUSINESS_PROFILE} with
     * {@code number} (or {@code TWILIO_PHONE_NUMBER}) as the business's own number.
     */
    public BusinessProfile businessProfileFor(String number) {
        if (number != null) {
            BusinessProfile p = businessProfiles.get(number);
            if (p != null) {
                return p;
            }
            return new BusinessProfile(businessName, businessProfile, number);
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
        if (texted != null && (businessProfiles.containsKey(texted)
                || (twilioPhoneNumber != null && twilioPhoneNumber.value().equals(texted)))) {
            return texted;
        }
        return twilioPhoneNumber == null ? null : twilioPhoneNumber.value();
    }

    /** The business as the reply generator sees it. */
    public BusinessProfile businessProfileRecord() {
        return new BusinessProfile(businessName, businessProfile,
                twilioPhoneNumber == null ? null : twilioPhoneNumber.value());
    }

    @Override
    public String toString() {
        return "FrontDeskConfig{twilioAccountSid=" + twilioAccountSid
                + ", twilioAuthToken=" + secret(twilioAuthToken)
                + ", twilioPhoneNumber=" + (twilioPhoneNumber == null ? null : twilioPhoneNumber.value())
                + ", twilioTestMode=" + twilioTestMode
                + ", twilioVerifiedNumbers=" + twilioVerifiedNumbers.size() + " numbers"
                + ", twilioMessagingServiceSid=" + twilioMessagingServiceSid
                + ", twilioApiBaseUrl=" + twilioApiBaseUrl
                + ", publicBaseUrl=" + publicBaseUrl
                + ", openAiApiKey=" + secret(openAiApiKey)
                + ", openAiBaseUrl=" + openAiBaseUrl
                + ", openAiModel=" + openAiModel
                + ", openAiTemperature=" + (openAiTemperature == null ? "(unset)" : openAiTemperature)
                + ", businessName=" + businessName
                + ", databaseUrl=" + databaseUrl
                + ", databaseUser=" + databaseUser
                + ", databasePassword=" + secret(databasePassword)
                + ", apiKey=" + secret(apiKey)
                + ", port=" + port
                + ", aiTimeout=" + aiTimeout + '}';
    }

    private static String secret(String s) {
        return s == null ? "(unset)" : "(set)";
    }

    private static String stripSlash(String url) {
        if (url == null) {
            return null;
        }
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** Reads and checks environment variables; blank counts as unset. */
    private static final class EnvReader {
        private final Map<String, String> env;

        EnvReader(Map<String, String> env) {
            this.env = Objects.requireNonNull(env, "env");
        }

        String get(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        String getOr(String name, String fallback) {
            String v = get(name);
            return v == null ? fallback : v;
        }

        boolean bool(String name, boolean fallback) {
            String v = get(name);
            if (v == null) {
                return fallback;
            }
            switch (v.toLowerCase(Locale.ROOT)) {
                case "true": case "1": case "yes": case "on":
                    return true;
                case "false": case "0": case "no": case "off":
                    return false;
                default:
                    throw new ConfigurationException(name + " must be true or false, was '" + LogSafe.truncate(v, 20) + "'.");
            }
        }

        int integer(String name, int fallback, int min, int max) {
            String v = get(name);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw new ConfigurationException(name + " must be between " + min + " and " + max + ", was " + n + ".");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigurationException(name + " must be a whole number, was '" + LogSafe.truncate(v, 20) + "'.");
            }
        }

        String url(String name, String fallback) {
            String v = get(name);
            if (v == null) {
                return fallback;
            }
            if (!v.startsWith("http://") && !v.startsWith("https://")) {
                throw new ConfigurationException(name + " must be an http:// or https:// URL, was '" + LogSafe.truncate(v, 60) + "'.");
            }
            return v;
        }

        ZoneId zone(String name) {
            String v = get(name);
            if (v == null) {
                return ZoneId.of("UTC");
            }
            try {
                return ZoneId.of(v);
            } catch (java.time.DateTimeException e) {
                throw new ConfigurationException(name + " must be a time zone like America/Chicago, was '" + LogSafe.truncate(v, 40) + "'.");
            }
        }

        /** Comma-separated ISO 3166 regions, upper-cased; empty when unset. */
        Set<String> regions(String name) {
            String v = get(name);
            if (v == null) {
                return Set.of();
            }
            Set<String> out = new java.util.LinkedHashSet<>();
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip().toUpperCase(Locale.ROOT));
                }
            }
            ReplyCountries.check(name, out);
            return out;
        }

        Double temperature(String name) {
            String v = get(name);
            if (v == null) {
                return null;
            }
            try {
                double t = Double.parseDouble(v);
                if (t >= MIN_TEMPERATURE && t <= MAX_TEMPERATURE) {
                    return t;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new ConfigurationException(name + " must be a number between 0 and 2 like 0.4 (or unset to send none), was '"
                    + LogSafe.truncate(v, 20) + "'.");
        }

        BigDecimal money(String name, BigDecimal fallback) {
            String v = get(name);
            if (v == null) {
                return fallback;
            }
            try {
                BigDecimal d = new BigDecimal(v);
                if (d.signum() < 0) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new ConfigurationException(name + " must be an amount in US dollars like 0.0075, was '" + LogSafe.truncate(v, 20) + "'.");
            }
        }

        /** {@code {"+15550001111": {"name": "Ace Plumbing", "profile": "..."}, ...}} */
        Map<String, BusinessProfile> profiles(String name, String region) {
            String v = get(name);
            if (v == null) {
                return Map.of();
            }
            com.fasterxml.jackson.databind.JsonNode root;
            try {
                root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(v);
            } catch (java.io.IOException e) {
                root = null;
            }
            String shape = name + " must be a JSON object like {\"+15550001111\": {\"name\": \"Ace Plumbing\", \"profile\": \"...\"}}";
            if (root == null || !root.isObject()) {
                throw new ConfigurationException(shape + ".");
            }
            Map<String, BusinessProfile> out = new LinkedHashMap<>();
            var fields = root.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                PhoneNumber number = phone(name, e.getKey(), region);
                var entry = e.getValue();
                if (!entry.isObject() || !entry.path("name").isTextual() || entry.path("name").asText().isBlank()
                        || !(entry.path("profile").isMissingNode() || entry.path("profile").isTextual())) {
                    throw new ConfigurationException(shape + "; the entry for " + number.value() + " needs a \"name\" string.");
                }
                out.put(number.value(), new BusinessProfile(entry.get("name").asText().strip(),
                        entry.path("profile").asText(""), number.value()));
            }
            return out;
        }

        PhoneNumber phone(String name, String value, String region) {
            try {
                return PhoneNumber.parse(value, region);
            } catch (InvalidPhoneNumberException e) {
                throw new ConfigurationException(name + " must hold E.164 phone numbers like +15551234567: " + e.getMessage());
            }
        }
    }

    /** Builds a {@link FrontDeskConfig}; every setting starts at its documented default. Not thread-safe. */
    public static final class Builder {
        private String twilioAccountSid;
        private String twilioAuthToken;
        private PhoneNumber twilioPhoneNumber;
        private boolean twilioTestMode = true;
        private List<PhoneNumber> twilioVerifiedNumbers = List.of();
        private String twilioMessagingServiceSid;
        private String twilioApiBaseUrl = DEFAULT_TWILIO_API_BASE_URL;
        private String publicBaseUrl;
        private String openAiApiKey;
        private String openAiBaseUrl = DEFAULT_OPENAI_BASE_URL;
        private String openAiModel = DEFAULT_OPENAI_MODEL;
        private Double openAiTemperature;
        private String businessName = "our business";
        private String businessProfile = "";
        private String databaseUrl = DEFAULT_DATABASE_URL;
        private String databaseUser;
        private String databasePassword;
        private String apiKey;
        private int port = DEFAULT_PORT;
        private Duration aiTimeout = Duration.ofSeconds(20);
        private String fallbackReply;
        private String helpReply;
        private String defaultRegion = PhoneNumber.DEFAULT_REGION;
        private int replyMaxChars = 320;
        private int historyLimit = 20;
        private int aiRepliesPerLeadPerHour = 20;
        private int aiRepliesPerHour = 1000;
        private int autoRepliesPerHour = 2000;
        private Set<String> replyCountries = Set.of();
        private int outboundPerMinute = 60;
        private int humanTakeoverMinutes = 120;
        private Map<String, BusinessProfile> businessProfiles = Map.of();
        private BusinessHours businessHours = BusinessHours.ALWAYS;
        private ZoneId businessTimeZone;
        private BigDecimal priceOutboundSegment = DEFAULT_PRICE_OUTBOUND_SEGMENT;
        private BigDecimal priceInboundSegment = BigDecimal.ZERO;
        private BigDecimal priceAiInputPerMillionTokens = DEFAULT_PRICE_AI_INPUT;
        private BigDecimal priceAiOutputPerMillionTokens = DEFAULT_PRICE_AI_OUTPUT;
        private BigDecimal monthlyBudget;

        private Builder() {
        }

        public Builder twilioAccountSid(String v) { twilioAccountSid = blank(v); return this; }
        public Builder twilioAuthToken(String v) { twilioAuthToken = blank(v); return this; }
        public Builder twilioPhoneNumber(PhoneNumber v) { twilioPhoneNumber = v; return this; }
        public Builder twilioTestMode(boolean v) { twilioTestMode = v; return this; }
        public Builder twilioVerifiedNumbers(List<PhoneNumber> v) { twilioVerifiedNumbers = List.copyOf(v); return this; }
        public Builder twilioMessagingServiceSid(String v) { twilioMessagingServiceSid = blank(v); return this; }
        public Builder twilioApiBaseUrl(String v) { twilioApiBaseUrl = Objects.requireNonNull(v, "twilioApiBaseUrl"); return this; }
        public Builder publicBaseUrl(String v) { publicBaseUrl = blank(v); return this; }
        public Builder openAiApiKey(String v) { openAiApiKey = blank(v); return this; }
        public Builder openAiBaseUrl(String v) { openAiBaseUrl = Objects.requireNonNull(v, "openAiBaseUrl"); return this; }
        public Builder openAiModel(String v) { openAiModel = Objects.requireNonNull(v, "openAiModel"); return this; }
        /** Sampling temperature between 0 and 2; null (the default) sends none. */
        public Builder openAiTemperature(Double v) { openAiTemperature = v; return this; }
        public Builder businessName(String v) { businessName = Objects.requireNonNull(v, "businessName"); return this; }
        public Builder businessProfile(String v) { businessProfile = v == null ? "" : v; return this; }
        public Builder databaseUrl(String v) { databaseUrl = Objects.requireNonNull(v, "databaseUrl"); return this; }
        public Builder databaseUser(String v) { databaseUser = blank(v); return this; }
        public Builder databasePassword(String v) { databasePassword = blank(v); return this; }
        public Builder apiKey(String v) { apiKey = blank(v); return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder aiTimeout(Duration v) { aiTimeout = Objects.requireNonNull(v, "aiTimeout"); return this; }
        public Builder fallbackReply(String v) { fallbackReply = blank(v); return this; }
        public Builder helpReply(String v) { helpReply = blank(v); return this; }
        public Builder defaultRegion(String v) { defaultRegion = Objects.requireNonNull(v, "defaultRegion").toUpperCase(Locale.ROOT); return this; }
        public Builder replyMaxChars(int v) { replyMaxChars = v; return this; }
        public Builder historyLimit(int v) { historyLimit = v; return this; }
        public Builder aiRepliesPerLeadPerHour(int v) { aiRepliesPerLeadPerHour = v; return this; }
        public Builder aiRepliesPerHour(int v) { aiRepliesPerHour = v; return this; }
        /** Automatic texts (AI or fallback) per hour over all leads; past it, texts are stored and not answered. */
        public Builder autoRepliesPerHour(int v) { autoRepliesPerHour = v; return this; }
        /**
         * ISO 3166 regions ({@code US}, {@code CA}) whose numbers get automatic replies; empty for all.
         * @throws ConfigurationException at {@link #build()} for a code that is no region
         */
        public Builder replyCountries(Set<String> v) { replyCountries = Set.copyOf(v); return this; }
        public Builder outboundPerMinute(int v) { outboundPerMinute = v; return this; }
        public Builder humanTakeoverMinutes(int v) { humanTakeoverMinutes = v; return this; }
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

        /** @throws ConfigurationException naming the field when a value is out of range */
        public FrontDeskConfig build() {
            if (port < 0 || port > 65535) {
                throw new ConfigurationException("port must be between 0 and 65535, was " + port + ".");
            }
            if (aiTimeout.isNegative() || aiTimeout.isZero()) {
                throw new ConfigurationException("aiTimeout must be positive, was " + aiTimeout + ".");
            }
            if (replyMaxChars < 40 || replyMaxChars > 1600) {
                throw new ConfigurationException("replyMaxChars must be between 40 and 1600, was " + replyMaxChars + ".");
            }
            if (humanTakeoverMinutes < 0) {
                throw new ConfigurationException("humanTakeoverMinutes must not be negative, was " + humanTakeoverMinutes + ".");
            }
            if (monthlyBudget != null && monthlyBudget.signum() < 0) {
                throw new ConfigurationException("monthlyBudget must not be negative, was " + monthlyBudget + ".");
            }
            if (autoRepliesPerHour < 0) {
                throw new ConfigurationException("autoRepliesPerHour must not be negative, was " + autoRepliesPerHour + ".");
            }
            ReplyCountries.check("replyCountries", replyCountries);
            if (historyLimit < 1) {
                throw new ConfigurationException("historyLimit must be at least 1, was " + historyLimit + ".");
            }
            if (openAiTemperature != null && !(openAiTemperature >= MIN_TEMPERATURE && openAiTemperature <= MAX_TEMPERATURE)) {
                throw new ConfigurationException("openAiTemperature (OPENAI_TEMPERATURE) must be between 0 and 2, was "
                        + openAiTemperature + ".");
            }
            if (fallbackReply != null && fallbackReply.length() > 1600) {
                throw new ConfigurationException("fallbackReply must be at most 1,600 characters.");
            }
            if (businessTimeZone != null && !businessTimeZone.equals(businessHours.zone())) {
                if (businessHours.configured()) {
                    throw new ConfigurationException("businessHours are in " + businessHours.zone().getId() + " but businessTimeZone is "
                            + businessTimeZone.getId() + "; give the hours in the business's time zone.");
                }
                businessHours = BusinessHours.parse(null, businessTimeZone);
            }
            return new FrontDeskConfig(this);
        }

        private static String blank(String v) {
            return v == null || v.isBlank() ? null : v.strip();
        }
    }
}
