package dev.frontdesk.sms.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The front desk's settings under the prefix {@code frontdesk}, one property per environment variable of the
 * library, in kebab case: {@code TWILIO_AUTH_TOKEN} is {@code frontdesk.twilio.auth-token}, {@code OPENAI_MODEL} is
 * {@code frontdesk.openai.model}. Relaxed binding makes the environment variable {@code FRONTDESK_TWILIO_AUTH_TOKEN}
 * work too. A blank value counts as unset, so {@code frontdesk.twilio.auth-token=${TWILIO_AUTH_TOKEN:}} is safe.
 * Values are checked (and defaulted) by {@link dev.frontdesk.sms.FrontDeskConfig}, which names the variable that
 * is wrong.
 */
@ConfigurationProperties(prefix = "frontdesk")
public class FrontDeskProperties {

    /** Whether the front desk is configured at all; {@code false} switches every part of it off. */
    private boolean enabled = true;

    /**
     * The https URL Twilio calls this app at, without the servlet path (the ngrok URL or your domain, plus the
     * context path if Twilio reaches the app under one). Signatures are checked against it and StatusCallback URLs
     * are built from it. Default: http://localhost:${server.port}.
     */
    private String publicBaseUrl;

    /** The staff bearer key for the admin API. Unset: every staff request is refused (401), unless a StaffAuthorizer bean is defined. */
    private String apiKey;

    /** Default region for numbers written without a country code (ISO 3166 code, e.g. US). */
    private String defaultRegion;

    /** The text sent when the AI cannot answer in time. */
    private String fallbackReply;

    /** The answer to HELP / INFO; unset: none (Twilio answers HELP itself). */
    private String helpReply;

    /** Longest reply, in characters (40-1600). Default 320. */
    private Integer replyMaxChars;

    /** Minutes a staff text pauses the lead's AI; 0 never. Default 120. */
    private Integer humanTakeoverMinutes;

    /** Automatic texts of any kind (AI or fallback) per hour in all. Default 2000. */
    private Integer autoRepliesPerHour;

    /** Staff texts per minute. Default 60. */
    private Integer outboundPerMinute;

    /** ISO regions whose numbers get automatic replies (others are stored, not answered). Default: all. */
    private List<String> replyCountries = new ArrayList<>();

    /** Who gets alerts and takes forwarded calls (E.164). */
    private String ownerPhoneNumber;

    /**
     * Nudge a lead who went quiet after the business's last text, once, after this many hours (decimals allowed, e.g.
     * 0.5); 0 never. Default 0.
     */
    private String followUpHours;

    /** Monthly budget in US dollars; when reached, customers get the fallback reply only. Default: none. */
    private String monthlyBudgetUsd;

    private final Twilio twilio = new Twilio();
    private final OpenAi openai = new OpenAi();
    private final Ai ai = new Ai();
    private final Business business = new Business();
    private final Price price = new Price();
    private final Reply reply = new Reply();
    private final Events events = new Events();
    private final Store store = new Store();
    private final Servlet servlet = new Servlet();

    /** Twilio: credentials, sending number, test mode. */
    public static class Twilio {
        /** Twilio account SID (AC...). */
        private String accountSid;
        /** Twilio auth token: the API password and the webhook signing secret. Never logged. */
        private String authToken;
        /** The sending number, E.164 (+1555...). */
        private String phoneNumber;
        /** true for Twilio's sandbox / trial: messages go only to verified numbers. Default true. */
        private Boolean testMode;
        /** Numbers allowed in test mode (E.164); unset: the account's verified caller IDs, read from Twilio. */
        private List<String> verifiedNumbers = new ArrayList<>();
        /** Send through this Messaging Service (MG...) instead of the number. */
        private String messagingServiceSid;
        /** Twilio REST base URL (a mock in tests). Default https://api.twilio.com. */
        private String apiBaseUrl;
        /** Requests to Twilio on the wire at once. Default 8. */
        private Integer maxConcurrentRequests;

        public String getAccountSid() { return accountSid; }
        public void setAccountSid(String v) { accountSid = v; }
        public String getAuthToken() { return authToken; }
        public void setAuthToken(String v) { authToken = v; }
        public String getPhoneNumber() { return phoneNumber; }
        public void setPhoneNumber(String v) { phoneNumber = v; }
        public Boolean getTestMode() { return testMode; }
        public void setTestMode(Boolean v) { testMode = v; }
        public List<String> getVerifiedNumbers() { return verifiedNumbers; }
        public void setVerifiedNumbers(List<String> v) { verifiedNumbers = v; }
        public String getMessagingServiceSid() { return messagingServiceSid; }
        public void setMessagingServiceSid(String v) { messagingServiceSid = v; }
        public String getApiBaseUrl() { return apiBaseUrl; }
        public void setApiBaseUrl(String v) { apiBaseUrl = v; }
        public Integer getMaxConcurrentRequests() { return maxConcurrentRequests; }
        public void setMaxConcurrentRequests(Integer v) { maxConcurrentRequests = v; }
    }

    /** The built-in OpenAI reply generator; any OpenAI-compatible server works. */
    public static class OpenAi {
        /** OpenAI API key; unset: fallback replies only. Never logged. */
        private String apiKey;
        /** Base URL of the OpenAI-compatible API. Default https://api.openai.com/v1. */
        private String baseUrl;
        /** Chat model. Default gpt-4o-mini. */
        private String model;
        /** Sampling temperature (0-2), sent only when set (reasoning models reject it). */
        private String temperature;

        public String getApiKey() { return apiKey; }
        public void setApiKey(String v) { apiKey = v; }
        public String getBaseUrl() { return baseUrl; }
        public void setBaseUrl(String v) { baseUrl = v; }
        public String getModel() { return model; }
        public void setModel(String v) { model = v; }
        public String getTemperature() { return temperature; }
        public void setTemperature(String v) { temperature = v; }
    }

    /** How replies are written: the provider, the deadline and the AI caps. */
    public static class Ai {
        /**
         * Who writes the replies. Unset: the application's LangChain4j ChatModel bean when it has one (with
         * frontdesk-sms-langchain4j), else the built-in OpenAI client. openai: the built-in client even when a
         * ChatModel bean exists. Any other name (anthropic, ollama, gemini...): the ChatModel bean, shown under that
         * name on the status page; without one the start fails.
         */
        private String provider;
        /**
         * The model shown on the status page and in usage records for a LangChain4j ChatModel that does not name its
         * own (the model it was built with wins). Unused by the built-in client (frontdesk.openai.model).
         */
        private String model;
        /** Reply deadline in seconds (1-600). Default 20. */
        private Integer timeoutSeconds;
        /** AI replies per lead per hour. Default 20. */
        private Integer repliesPerLeadPerHour;
        /** AI replies per hour in all. Default 1000. */
        private Integer repliesPerHour;

        public String getProvider() { return provider; }
        public void setProvider(String v) { provider = v; }
        public String getModel() { return model; }
        public void setModel(String v) { model = v; }
        public Integer getTimeoutSeconds() { return timeoutSeconds; }
        public void setTimeoutSeconds(Integer v) { timeoutSeconds = v; }
        public Integer getRepliesPerLeadPerHour() { return repliesPerLeadPerHour; }
        public void setRepliesPerLeadPerHour(Integer v) { repliesPerLeadPerHour = v; }
        public Integer getRepliesPerHour() { return repliesPerHour; }
        public void setRepliesPerHour(Integer v) { repliesPerHour = v; }
    }

    /** What the AI knows about the business. */
    public static class Business {
        /** The business's name, as the AI introduces it. */
        private String name;
        /** Services, area, hours: what the AI may tell customers. */
        private String profile;
        /** JSON object: E.164 number to {"name", "profile"}, for several numbers. */
        private String profiles;
        /** Opening hours, e.g. "Mon-Fri 08:00-18:00; Sat 09:00-12:00". Default: always open. */
        private String hours;
        /** IANA time zone of the hours, usage days and budget month, e.g. America/Chicago. Default UTC. */
        private String timezone;

        public String getName() { return name; }
        public void setName(String v) { name = v; }
        public String getProfile() { return profile; }
        public void setProfile(String v) { profile = v; }
        public String getProfiles() { return profiles; }
        public void setProfiles(String v) { profiles = v; }
        public String getHours() { return hours; }
        public void setHours(String v) { hours = v; }
        public String getTimezone() { return timezone; }
        public void setTimezone(String v) { timezone = v; }
    }

    /** Prices for the cost estimate, in US dollars. */
    public static class Price {
        /** Per outbound SMS segment. Default 0.0075. */
        private String outboundSegmentUsd;
        /** Per inbound SMS segment. Default 0. */
        private String inboundSegmentUsd;
        /** Per million prompt tokens. Default 0.15. */
        private String aiInputPerMillionTokensUsd;
        /** Per million completion tokens. Default 0.60. */
        private String aiOutputPerMillionTokensUsd;

        public String getOutboundSegmentUsd() { return outboundSegmentUsd; }
        public void setOutboundSegmentUsd(String v) { outboundSegmentUsd = v; }
        public String getInboundSegmentUsd() { return inboundSegmentUsd; }
        public void setInboundSegmentUsd(String v) { inboundSegmentUsd = v; }
        public String getAiInputPerMillionTokensUsd() { return aiInputPerMillionTokensUsd; }
        public void setAiInputPerMillionTokensUsd(String v) { aiInputPerMillionTokensUsd = v; }
        public String getAiOutputPerMillionTokensUsd() { return aiOutputPerMillionTokensUsd; }
        public void setAiOutputPerMillionTokensUsd(String v) { aiOutputPerMillionTokensUsd = v; }
    }

    /** The reply workers. */
    public static class Reply {
        /** Reply worker threads. Default 2. */
        private Integer workers;
        /** Seconds a worker holds a job before another may take it over. Default 30. */
        private Integer leaseSeconds;
        /** Seconds the workers get to finish at shutdown; at most the shutdown phase timeout less 5 s. Default 20. */
        private Integer shutdownSeconds;

        public Integer getWorkers() { return workers; }
        public void setWorkers(Integer v) { workers = v; }
        public Integer getLeaseSeconds() { return leaseSeconds; }
        public void setLeaseSeconds(Integer v) { leaseSeconds = v; }
        public Integer getShutdownSeconds() { return shutdownSeconds; }
        public void setShutdownSeconds(Integer v) { shutdownSeconds = v; }
    }

    /** Signed lead events posted to the host's CRM. */
    public static class Events {
        /** Where events are posted; unset: no events. */
        private String webhookUrl;
        /** The HMAC signing secret of the events. Never logged. */
        private String webhookSecret;
        /** true lets events go to loopback and private addresses. Default false. */
        private Boolean allowPrivate;

        public String getWebhookUrl() { return webhookUrl; }
        public void setWebhookUrl(String v) { webhookUrl = v; }
        public String getWebhookSecret() { return webhookSecret; }
        public void setWebhookSecret(String v) { webhookSecret = v; }
        public Boolean getAllowPrivate() { return allowPrivate; }
        public void setAllowPrivate(Boolean v) { allowPrivate = v; }
    }

    /** The JDBC store on the application's DataSource. */
    public static class Store {
        /** Apply the store's migrations at start-up (own history table frontdesk_schema_history); false when the host runs them with its own Flyway. */
        private boolean migrate = true;

        public boolean isMigrate() { return migrate; }
        public void setMigrate(boolean v) { migrate = v; }
    }

    /** Where the webhooks and the staff API are served. */
    public static class Servlet {
        /** Servlet mapping, /prefix/* or /*; the inbound webhook is then /prefix/api/twilio/sms/inbound. */
        private String path = "/sms/*";
        /** Take the called URL from X-Forwarded-Proto / X-Forwarded-Host; only behind a proxy that sets them. */
        private boolean trustForwardedHeaders;

        public String getPath() { return path; }
        public void setPath(String v) { path = v; }
        public boolean isTrustForwardedHeaders() { return trustForwardedHeaders; }
        public void setTrustForwardedHeaders(boolean v) { trustForwardedHeaders = v; }
    }

    /**
     * The settings as the library's environment variables ({@code TWILIO_AUTH_TOKEN}, ...), for
     * {@link dev.frontdesk.sms.FrontDeskConfig#fromEnvironment}; unset and blank values are left out.
     */
    public Map<String, String> toVariables() {
        Map<String, String> v = new LinkedHashMap<>();
        put(v, "PUBLIC_BASE_URL", publicBaseUrl);
        put(v, "FRONTDESK_API_KEY", apiKey);
        put(v, "DEFAULT_REGION", defaultRegion);
        put(v, "FALLBACK_REPLY", fallbackReply);
        put(v, "HELP_REPLY", helpReply);
        put(v, "REPLY_MAX_CHARS", replyMaxChars);
        put(v, "HUMAN_TAKEOVER_MINUTES", humanTakeoverMinutes);
        put(v, "AUTO_REPLIES_PER_HOUR", autoRepliesPerHour);
        put(v, "OUTBOUND_PER_MINUTE", outboundPerMinute);
        put(v, "REPLY_COUNTRIES", String.join(",", replyCountries));
        put(v, "OWNER_PHONE_NUMBER", ownerPhoneNumber);
        put(v, "FOLLOW_UP_HOURS", followUpHours);
        put(v, "MONTHLY_BUDGET_USD", monthlyBudgetUsd);
        put(v, "TWILIO_ACCOUNT_SID", twilio.accountSid);
        put(v, "TWILIO_AUTH_TOKEN", twilio.authToken);
        put(v, "TWILIO_PHONE_NUMBER", twilio.phoneNumber);
        put(v, "TWILIO_TEST_MODE", twilio.testMode);
        put(v, "TWILIO_VERIFIED_NUMBERS", String.join(",", twilio.verifiedNumbers));
        put(v, "TWILIO_MESSAGING_SERVICE_SID", twilio.messagingServiceSid);
        put(v, "TWILIO_API_BASE_URL", twilio.apiBaseUrl);
        put(v, "TWILIO_MAX_CONCURRENT_REQUESTS", twilio.maxConcurrentRequests);
        put(v, "OPENAI_API_KEY", openai.apiKey);
        put(v, "OPENAI_BASE_URL", openai.baseUrl);
        put(v, "OPENAI_MODEL", openai.model);
        put(v, "OPENAI_TEMPERATURE", openai.temperature);
        put(v, "AI_PROVIDER", ai.provider);
        put(v, "AI_TIMEOUT_SECONDS", ai.timeoutSeconds);
        put(v, "AI_REPLIES_PER_LEAD_PER_HOUR", ai.repliesPerLeadPerHour);
        put(v, "AI_REPLIES_PER_HOUR", ai.repliesPerHour);
        put(v, "BUSINESS_NAME", business.name);
        put(v, "BUSINESS_PROFILE", business.profile);
        put(v, "BUSINESS_PROFILES", business.profiles);
        put(v, "BUSINESS_HOURS", business.hours);
        put(v, "BUSINESS_TIMEZONE", business.timezone);
        put(v, "PRICE_OUTBOUND_SEGMENT_USD", price.outboundSegmentUsd);
        put(v, "PRICE_INBOUND_SEGMENT_USD", price.inboundSegmentUsd);
        put(v, "PRICE_AI_INPUT_PER_MILLION_TOKENS_USD", price.aiInputPerMillionTokensUsd);
        put(v, "PRICE_AI_OUTPUT_PER_MILLION_TOKENS_USD", price.aiOutputPerMillionTokensUsd);
        put(v, "REPLY_WORKERS", reply.workers);
        put(v, "REPLY_LEASE_SECONDS", reply.leaseSeconds);
        put(v, "REPLY_SHUTDOWN_SECONDS", reply.shutdownSeconds);
        put(v, "EVENTS_WEBHOOK_URL", events.webhookUrl);
        put(v, "EVENTS_WEBHOOK_SECRET", events.webhookSecret);
        put(v, "EVENTS_ALLOW_PRIVATE", events.allowPrivate);
        return v;
    }

    private static void put(Map<String, String> v, String name, Object value) {
        if (value != null && !value.toString().isBlank()) {
            v.put(name, value.toString().strip());
        }
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean v) { enabled = v; }
    public String getPublicBaseUrl() { return publicBaseUrl; }
    public void setPublicBaseUrl(String v) { publicBaseUrl = v; }
    public String getApiKey() { return apiKey; }
    public void setApiKey(String v) { apiKey = v; }
    public String getDefaultRegion() { return defaultRegion; }
    public void setDefaultRegion(String v) { defaultRegion = v; }
    public String getFallbackReply() { return fallbackReply; }
    public void setFallbackReply(String v) { fallbackReply = v; }
    public String getHelpReply() { return helpReply; }
    public void setHelpReply(String v) { helpReply = v; }
    public Integer getReplyMaxChars() { return replyMaxChars; }
    public void setReplyMaxChars(Integer v) { replyMaxChars = v; }
    public Integer getHumanTakeoverMinutes() { return humanTakeoverMinutes; }
    public void setHumanTakeoverMinutes(Integer v) { humanTakeoverMinutes = v; }
    public Integer getAutoRepliesPerHour() { return autoRepliesPerHour; }
    public void setAutoRepliesPerHour(Integer v) { autoRepliesPerHour = v; }
    public Integer getOutboundPerMinute() { return outboundPerMinute; }
    public void setOutboundPerMinute(Integer v) { outboundPerMinute = v; }
    public List<String> getReplyCountries() { return replyCountries; }
    public void setReplyCountries(List<String> v) { replyCountries = v; }
    public String getOwnerPhoneNumber() { return ownerPhoneNumber; }
    public void setOwnerPhoneNumber(String v) { ownerPhoneNumber = v; }
    public String getFollowUpHours() { return followUpHours; }
    public void setFollowUpHours(String v) { followUpHours = v; }
    public String getMonthlyBudgetUsd() { return monthlyBudgetUsd; }
    public void setMonthlyBudgetUsd(String v) { monthlyBudgetUsd = v; }
    public Twilio getTwilio() { return twilio; }
    public OpenAi getOpenai() { return openai; }
    public Ai getAi() { return ai; }
    public Business getBusiness() { return business; }
    public Price getPrice() { return price; }
    public Reply getReply() { return reply; }
    public Events getEvents() { return events; }
    public Store getStore() { return store; }
    public Servlet getServlet() { return servlet; }
}
