package dev.frontdesk.sms.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.base.Page;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.rest.api.v2010.account.OutgoingCallerId;
import com.twilio.rest.api.v2010.account.OutgoingCallerIdReader;
import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LogSafe;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.twilio.TwilioSendException.Reason;
import dev.frontdesk.sms.twilio.internal.OkHttpTwilioHttpClient;
import dev.frontdesk.sms.twilio.internal.OkHttpTwilioHttpClient.TransportException;
import dev.frontdesk.sms.twilio.internal.RetryAfter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SmsGateway} on Twilio's official Java SDK ({@code com.twilio.sdk:twilio}).
 *
 * <p>Each instance has its own {@link TwilioRestClient} (never the SDK's global {@code Twilio.init}) over
 * an OkHttp transport: one shared {@link OkHttpClient}, explicit connect and read timeouts, the REST base
 * URL replaceable ({@code TWILIO_API_BASE_URL}) so tests can aim at a mock, the {@code Authorization}
 * header never logged.
 *
 * <h2>Sending</h2>
 * Every message carries a {@code StatusCallback} (the {@link OutboundSms#statusCallback()}, else the
 * configured one). It goes out through the Messaging Service when {@code TWILIO_MESSAGING_SERVICE_SID}
 * is set (with a {@code From} only when the caller asks for a number other than the configured one),
 * otherwise from {@link OutboundSms#from()} or {@code TWILIO_PHONE_NUMBER}.
 *
 * <h2>Failures and retries</h2>
 * Twilio's errors become {@link TwilioSendException}s with a typed {@link TwilioSendException.Reason}
 * and Twilio's code (21211, 21608, 21610, 21614, 21617, ...). Rate limiting (20429 / HTTP 429), 5xx
 * answers and connection failures <em>before the request left</em> are retried here with exponential
 * backoff and jitter, honouring {@code Retry-After}, bounded by {@link Builder#maxAttempts} and
 * {@link Builder#maxTotalTime}; when the budget runs out the exception says {@code retryable} so the
 * caller may try again later. At most {@link Builder#maxConcurrentRequests} requests are on the wire at
 * once per gateway (waits between attempts hold no slot), so a burst of replies cannot turn into a
 * burst of 429s.
 *
 * <p>A success answer is read by the SDK; if the SDK cannot read some field this library does not use
 * (a malformed {@code price_unit}, say), the SID, status, segments and sender are read leniently instead.
 *
 * <p><b>Timeout after the request left.</b> When the request was written but no answer came back (read
 * timeout, connection reset, success answer without a readable SID), Twilio may or may not have created the message.
 * Twilio's Messages API has no idempotency key, so sending again could text the customer twice. This
 * gateway therefore does <em>not</em> retry: it throws with {@link TwilioSendException.Reason#OUTCOME_UNKNOWN},
 * {@code outcomeUnknown() == true} and {@code retryable() == false} (at most once). If Twilio did create
 * the message, its status callbacks still arrive, for a SID the store does not know, and are logged.
 *
 * <h2>Test mode</h2>
 * {@link #isVerified} uses {@code TWILIO_VERIFIED_NUMBERS} when given, otherwise the account's verified
 * caller IDs from Twilio's {@code OutgoingCallerIds} API, cached for {@link Builder#verifiedNumbersRefresh}.
 * When that list cannot be read, the last list read is used; with none, the answer is "not verified"
 * (nothing goes to a number nobody checked).
 *
 * <p>Thread-safe. Build with {@link #builder(FrontDeskConfig)} or {@link #builder()}.
 */
public final class TwilioSmsGateway implements SmsGateway {

    private static final Logger log = LoggerFactory.getLogger(TwilioSmsGateway.class);
    private static final Pattern PHONE_IN_TEXT = Pattern.compile("\\+?\\d{7,15}");
    private static final int MAX_CALLER_ID_PAGES = 20;
    private static final Pattern SID = Pattern.compile("^(SM|MM)[0-9a-fA-F]{32}$");
    private static final String TWILIO_API_PREFIX = "https://api.twilio.com/2010-04-01/";

    /** Waits between attempts; injected so tests never sleep on wall-clock time. */
    @FunctionalInterface
    public interface Sleeper {
        /** {@link Thread#sleep}. */
        Sleeper SYSTEM = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

        void sleep(Duration duration) throws InterruptedException;
    }

    private final String accountSid;
    private final PhoneNumber phoneNumber;
    private final String messagingServiceSid;
    private final String statusCallbackUrl;
    private final Set<String> configuredVerified;
    private final Duration verifiedRefresh;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;
    private final int maxAttempts;
    private final Duration maxTotalTime;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final OkHttpTwilioHttpClient transport;
    private final TwilioRestClient client;
    private final Semaphore inFlight;
    private final ObjectMapper json = new ObjectMapper();

    private final Object cacheLock = new Object();
    private Set<String> cachedVerified;
    private Instant cachedAt;

    private TwilioSmsGateway(Builder b, OkHttpClient http) {
        accountSid = b.accountSid;
        phoneNumber = b.phoneNumber;
        messagingServiceSid = b.messagingServiceSid;
        statusCallbackUrl = b.statusCallbackUrl;
        Set<String> verified = new HashSet<>();
        b.verifiedNumbers.forEach(n -> verified.add(n.value()));
        configuredVerified = Set.copyOf(verified);
        verifiedRefresh = b.verifiedNumbersRefresh;
        clock = b.clock;
        sleeper = b.sleeper;
        jitter = b.jitter;
        maxAttempts = b.maxAttempts;
        maxTotalTime = b.maxTotalTime;
        initialBackoff = b.initialBackoff;
        maxBackoff = b.maxBackoff;
        inFlight = new Semaphore(b.maxConcurrentRequests, true);
        transport = new OkHttpTwilioHttpClient(http, b.apiBaseUrl);
        client = new TwilioRestClient.Builder(b.accountSid, b.authToken)
                .httpClient(transport)
                .build();
    }

    /** A builder with no values set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding the Twilio values of {@code config}: account SID, auth token, phone number,
     * Messaging Service, verified numbers, REST base URL and the StatusCallback URL.
     */
    public static Builder builder(FrontDeskConfig config) {
        Objects.requireNonNull(config, "config");
        Builder b = new Builder()
                .accountSid(config.twilioAccountSid())
                .authToken(config.twilioAuthToken())
                .phoneNumber(config.twilioPhoneNumber())
                .messagingServiceSid(config.twilioMessagingServiceSid())
                .verifiedNumbers(config.twilioVerifiedNumbers())
                .statusCallbackUrl(config.statusCallbackUrl());
        if (config.twilioApiBaseUrl() != null) {
            b.apiBaseUrl(config.twilioApiBaseUrl());
        }
        return b;
    }

    /**
     * Sends one message and returns once Twilio accepted it.
     *
     * @throws TwilioSendException when Twilio refused it, could not be reached after the allowed retries,
     *                             or may have received it without answering ({@code outcomeUnknown})
     */
    @Override
    public SendResult send(OutboundSms sms) {
        Objects.requireNonNull(sms, "sms");
        Instant start = clock.instant();
        for (int attempt = 1; ; attempt++) {
            TwilioSendException failure;
            Duration retryAfter = null;
            try {
                inFlight.acquire();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw fail(Reason.CONNECTION_FAILED, null, 0, "Interrupted while waiting to send; the message was not sent.", ie);
            }
            OkHttpTwilioHttpClient.Attempt wire = transport.beginAttempt();
            try {
                Message m = creator(sms).create(client);
                SendResult result = toResult(m);
                log.debug("Twilio accepted message {} to {}", result.sid(), sms.to().masked());
                return result;
            } catch (TransportException e) {
                failure = e.requestSent()
                        ? fail(Reason.OUTCOME_UNKNOWN, null, 0, e.getMessage()
                                + " after the request was sent; Twilio may or may not have created the message, so it is not sent again.", e)
                        : fail(Reason.CONNECTION_FAILED, null, 0, e.getMessage() + "; the message was not sent.", e);
            } catch (TwilioException | IllegalArgumentException | IllegalStateException e) {
                if (wire.httpStatus() >= 200 && wire.httpStatus() < 300) {
                    // The SDK choked on some field of a success answer; read the four fields we need ourselves.
                    SendResult tolerant = readLeniently(wire.successBody());
                    if (tolerant != null) {
                        log.debug("Twilio accepted message {}; its answer was read leniently ({})", tolerant.sid(),
                                LogSafe.truncate(String.valueOf(e.getMessage()), 120));
                        return tolerant;
                    }
                    // Twilio said yes but its answer could not be read: the message exists, its SID is unknown.
                    failure = fail(Reason.OUTCOME_UNKNOWN, null, wire.httpStatus(),
                            "Twilio accepted the request but its answer could not be read; the message is not sent again.", e);
                } else if (e instanceof ApiException) {
                    failure = fromApiException((ApiException) e, wire);
                } else {
                    failure = failFromStatus(wire.httpStatus(), e);
                }
                retryAfter = RetryAfter.parse(wire.retryAfterHeader(), clock.instant());
            } finally {
                transport.endAttempt();
                inFlight.release();
            }

            if (!failure.retryable() || attempt >= maxAttempts) {
                throw failure;
            }
            Duration delay = backoff(attempt);
            if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
                delay = retryAfter;
            }
            Duration elapsed = Duration.between(start, clock.instant());
            if (elapsed.plus(delay).compareTo(maxTotalTime) > 0) {
                throw failure;
            }
            log.warn("Twilio send to {} failed ({}); attempt {} of {}, retrying in {} ms",
                    sms.to().masked(), failure.reason(), attempt, maxAttempts, delay.toMillis());
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    /** The wait before attempt {@code attempt + 1}: exponential, capped, with "equal jitter" (half fixed, half random). */
    Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        double j = Math.max(0, Math.min(1, jitter.getAsDouble()));
        return Duration.ofMillis(capped / 2 + (long) (j * (capped - capped / 2)));
    }

    private MessageCreator creator(OutboundSms sms) {
        com.twilio.type.PhoneNumber to = new com.twilio.type.PhoneNumber(sms.to().value());
        String callback = sms.statusCallback() != null ? sms.statusCallback() : statusCallbackUrl;
        MessageCreator c;
        if (messagingServiceSid != null) {
            c = Message.creator(accountSid, to, messagingServiceSid, sms.body());
            String from = sms.from();
            if (from != null && (phoneNumber == null || !phoneNumber.value().equals(from))) {
                c.setFrom(from);
            }
        } else {
            String from = sms.from() != null ? sms.from() : phoneNumber.value();
            c = Message.creator(accountSid, to, new com.twilio.type.PhoneNumber(from), sms.body());
        }
        if (callback != null) {
            c.setStatusCallback(callback);
        }
        return c;
    }

    private static SendResult toResult(Message m) {
        if (m.getSid() == null || m.getSid().isBlank()) {
            throw new IllegalStateException("Twilio's answer has no sid");
        }
        MessageStatus status = m.getStatus() == null ? MessageStatus.QUEUED : MessageStatus.fromWire(m.getStatus().toString());
        Integer segments = null;
        if (m.getNumSegments() != null) {
            try {
                segments = Integer.valueOf(m.getNumSegments().strip());
            } catch (NumberFormatException ignored) {
                segments = null;
            }
        }
        String from = m.getFrom() == null ? null : m.getFrom().toString();
        return new SendResult(m.getSid(), status, segments, from);
    }

    /** Reads sid, status, num_segments and from out of a Message JSON; null when there is no usable sid and status. */
    private SendResult readLeniently(String body) {
        if (body == null) {
            return null;
        }
        try {
            JsonNode n = json.readTree(body);
            String sid = n.path("sid").asText(null);
            String status = n.path("status").asText(null);
            if (sid == null || !SID.matcher(sid).matches() || status == null) {
                return null;
            }
            Integer segments = null;
            String seg = n.path("num_segments").asText("");
            if (seg.strip().matches("\\d{1,4}")) {
                segments = Integer.valueOf(seg.strip());
            }
            String from = n.path("from").isTextual() ? n.path("from").asText() : null;
            return new SendResult(sid, MessageStatus.fromWire(status), segments, from);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static TwilioSendException fromApiException(ApiException e, OkHttpTwilioHttpClient.Attempt wire) {
        int http = e.getStatusCode() != null ? e.getStatusCode() : wire.httpStatus();
        Integer code = e.getCode();
        Reason reason = Reason.forCode(code, http);
        return fail(reason, code, http, describe(reason, code, http, e.getMessage()), e);
    }

    private static TwilioSendException failFromStatus(int http, Exception e) {
        Reason reason = http != 0 ? Reason.forCode(null, http)
                : e instanceof com.twilio.exception.ApiConnectionException ? Reason.CONNECTION_FAILED : Reason.OTHER;
        return fail(reason, null, http, describe(reason, null, http, e.getMessage()), e);
    }

    private static String describe(Reason reason, Integer code, int http, String twilioMessage) {
        String suffix = code != null ? " (Twilio error " + code + ")" : (http > 0 ? " (HTTP " + http + ")" : "");
        switch (reason) {
            case INVALID_NUMBER:
                return "Twilio says the recipient's number is not a valid phone number" + suffix + ".";
            case UNVERIFIED_NUMBER:
                return "Twilio trial accounts can only text verified numbers; verify this number in the Twilio console or upgrade the account" + suffix + ".";
            case OPTED_OUT:
                return "The recipient has opted out of messages from this number (texted STOP); they must text START first" + suffix + ".";
            case NOT_MOBILE:
                return "Twilio says the recipient's number cannot receive SMS (not a mobile number)" + suffix + ".";
            case BODY_TOO_LONG:
                return "The message is longer than Twilio's 1,600 character limit" + suffix + ".";
            case RATE_LIMITED:
                return "Twilio is rate limiting this account (too many requests); try again shortly" + suffix + ".";
            case AUTHENTICATION_FAILED:
                return "Twilio rejected the account SID or auth token; check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN" + suffix + ".";
            case SERVER_ERROR:
                return "Twilio had a temporary server error; try again later" + suffix + ".";
            default:
                String text = twilioMessage == null ? "no details" : mask(twilioMessage);
                return "Twilio refused the message: " + LogSafe.truncate(text, 200) + suffix + ".";
        }
    }

    /** Hides phone numbers that Twilio's own messages quote. */
    private static String mask(String text) {
        return PHONE_IN_TEXT.matcher(text).replaceAll(r -> LogSafe.maskPhone(r.group()));
    }

    private static TwilioSendException fail(Reason reason, Integer code, int http, String message, Throwable cause) {
        return new TwilioSendException(reason, message, code, http, cause);
    }

    /**
     * Whether {@code number} may receive messages in test mode: one of {@code TWILIO_VERIFIED_NUMBERS}
     * when set, else one of the account's verified caller IDs (read from Twilio, cached).
     */
    @Override
    public boolean isVerified(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        if (!configuredVerified.isEmpty()) {
            return configuredVerified.contains(number.value());
        }
        return verifiedCallerIds().contains(number.value());
    }

    private Set<String> verifiedCallerIds() {
        synchronized (cacheLock) {
            Instant now = clock.instant();
            if (cachedVerified != null && cachedAt != null && Duration.between(cachedAt, now).compareTo(verifiedRefresh) < 0) {
                return cachedVerified;
            }
            try {
                cachedVerified = readCallerIds();
                cachedAt = now;
                log.info("Read {} verified caller IDs from Twilio for test mode", cachedVerified.size());
                return cachedVerified;
            } catch (RuntimeException e) {
                if (cachedVerified != null) {
                    log.warn("Could not refresh Twilio's verified caller IDs ({}); using the list read before",
                            LogSafe.truncate(e.getMessage(), 120));
                    return cachedVerified;
                }
                log.warn("Could not read Twilio's verified caller IDs ({}); treating numbers as unverified",
                        LogSafe.truncate(e.getMessage(), 120));
                return Set.of();
            }
        }
    }

    private Set<String> readCallerIds() {
        Set<String> numbers = new HashSet<>();
        OutgoingCallerIdReader reader = OutgoingCallerId.reader(accountSid).setPageSize(1000L);
        Page<OutgoingCallerId> page = reader.firstPage(client);
        for (int pages = 1; ; pages++) {
            for (OutgoingCallerId id : page.getRecords()) {
                if (id.getPhoneNumber() != null) {
                    String raw = id.getPhoneNumber().toString();
                    if (PhoneNumber.isPossible(raw, PhoneNumber.DEFAULT_REGION)) {
                        numbers.add(PhoneNumber.parse(raw).value());
                    }
                }
            }
            if (!page.hasNextPage() || pages >= MAX_CALLER_ID_PAGES) {
                break;
            }
            String next = page.getNextPageUrl("api");
            if (next == null || !next.startsWith(TWILIO_API_PREFIX)) {
                // Twilio answers with a relative next_page_uri; anything else is not followed.
                log.warn("Twilio's caller ID list named an unexpected next page; reading no further");
                break;
            }
            page = reader.nextPage(page, client);
        }
        return Set.copyOf(numbers);
    }

    @Override
    public String toString() {
        return "TwilioSmsGateway{accountSid=" + accountSid + ", from="
                + (messagingServiceSid != null ? messagingServiceSid : phoneNumber == null ? null : phoneNumber.value()) + '}';
    }

    /**
     * Builds a {@link TwilioSmsGateway}. Fails fast on missing values at {@link #build()}, naming the field.
     * Not thread-safe; the gateway it builds is.
     */
    public static final class Builder {
        /** Default cap on concurrent requests per gateway. */
        public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 8;

        private String accountSid;
        private String authToken;
        private PhoneNumber phoneNumber;
        private String messagingServiceSid;
        private String apiBaseUrl = FrontDeskConfig.DEFAULT_TWILIO_API_BASE_URL;
        private String statusCallbackUrl;
        private List<PhoneNumber> verifiedNumbers = List.of();
        private Duration verifiedNumbersRefresh = Duration.ofMinutes(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(15);
        private OkHttpClient okHttpClient;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
        private int maxAttempts = 3;
        private Duration maxTotalTime = Duration.ofSeconds(20);
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;

        private Builder() {
        }

        /** {@code TWILIO_ACCOUNT_SID}; required. */
        public Builder accountSid(String v) { accountSid = blank(v); return this; }
        /** {@code TWILIO_AUTH_TOKEN}; required, never logged. */
        public Builder authToken(String v) { authToken = blank(v); return this; }
        /** {@code TWILIO_PHONE_NUMBER}: the default sender; this or a Messaging Service is required. */
        public Builder phoneNumber(PhoneNumber v) { phoneNumber = v; return this; }
        /** {@code TWILIO_MESSAGING_SERVICE_SID}: send through this service instead of the number. */
        public Builder messagingServiceSid(String v) { messagingServiceSid = blank(v); return this; }
        /** {@code TWILIO_API_BASE_URL}, default {@code https://api.twilio.com}. */
        public Builder apiBaseUrl(String v) { apiBaseUrl = Objects.requireNonNull(blank(v), "apiBaseUrl"); return this; }
        /** The StatusCallback URL used when an {@link OutboundSms} names none. */
        public Builder statusCallbackUrl(String v) { statusCallbackUrl = blank(v); return this; }
        /** {@code TWILIO_VERIFIED_NUMBERS}; empty means "ask Twilio's OutgoingCallerIds API". */
        public Builder verifiedNumbers(List<PhoneNumber> v) { verifiedNumbers = List.copyOf(v); return this; }
        /** How long a verified caller ID list read from Twilio is used before reading it again (default 10 min). */
        public Builder verifiedNumbersRefresh(Duration v) { verifiedNumbersRefresh = Objects.requireNonNull(v, "verifiedNumbersRefresh"); return this; }
        /** TCP connect timeout (default 5 s). */
        public Builder connectTimeout(Duration v) { connectTimeout = Objects.requireNonNull(v, "connectTimeout"); return this; }
        /** Read timeout per request (default 15 s). */
        public Builder readTimeout(Duration v) { readTimeout = Objects.requireNonNull(v, "readTimeout"); return this; }
        /** A shared OkHttp client to derive this gateway's client from (its pool and dispatcher are reused). */
        public Builder okHttpClient(OkHttpClient v) { okHttpClient = Objects.requireNonNull(v, "okHttpClient"); return this; }
        /** Time source for backoff budgets and the verified-number cache. */
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }
        /** How to wait between attempts (tests pass one that only records). */
        public Builder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v, "sleeper"); return this; }
        /** Source of jitter in [0, 1). */
        public Builder jitter(DoubleSupplier v) { jitter = Objects.requireNonNull(v, "jitter"); return this; }
        /** Attempts per send, including the first (default 3). */
        public Builder maxAttempts(int v) { maxAttempts = v; return this; }
        /** Time budget for one send including retries (default 20 s); no wait starts that would exceed it. */
        public Builder maxTotalTime(Duration v) { maxTotalTime = Objects.requireNonNull(v, "maxTotalTime"); return this; }
        /** First backoff (default 500 ms), doubled per attempt. */
        public Builder initialBackoff(Duration v) { initialBackoff = Objects.requireNonNull(v, "initialBackoff"); return this; }
        /**
         * Requests to Twilio on the wire at once from this gateway (default {@value #DEFAULT_MAX_CONCURRENT_REQUESTS});
         * more sends wait for a slot. Per gateway, so per process: N instances send up to N times this.
         */
        public Builder maxConcurrentRequests(int v) { maxConcurrentRequests = v; return this; }
        /** Largest backoff (default 8 s); a longer {@code Retry-After} is still honoured within the total budget. */
        public Builder maxBackoff(Duration v) { maxBackoff = Objects.requireNonNull(v, "maxBackoff"); return this; }

        /** @throws ConfigurationException naming the missing or invalid field */
        public TwilioSmsGateway build() {
            if (accountSid == null) {
                throw new ConfigurationException("accountSid is required (TWILIO_ACCOUNT_SID).");
            }
            if (authToken == null) {
                throw new ConfigurationException("authToken is required (TWILIO_AUTH_TOKEN).");
            }
            if (phoneNumber == null && messagingServiceSid == null) {
                throw new ConfigurationException("phoneNumber (TWILIO_PHONE_NUMBER) or messagingServiceSid (TWILIO_MESSAGING_SERVICE_SID) is required.");
            }
            if (!apiBaseUrl.startsWith("http://") && !apiBaseUrl.startsWith("https://")) {
                throw new ConfigurationException("apiBaseUrl (TWILIO_API_BASE_URL) must start with http:// or https://.");
            }
            if (maxConcurrentRequests < 1) {
                throw new ConfigurationException("maxConcurrentRequests must be at least 1, was " + maxConcurrentRequests + ".");
            }
            if (maxAttempts < 1) {
                throw new ConfigurationException("maxAttempts must be at least 1, was " + maxAttempts + ".");
            }
            positive("connectTimeout", connectTimeout);
            positive("readTimeout", readTimeout);
            positive("maxTotalTime", maxTotalTime);
            positive("initialBackoff", initialBackoff);
            positive("maxBackoff", maxBackoff);
            positive("verifiedNumbersRefresh", verifiedNumbersRefresh);
            OkHttpClient base = okHttpClient != null ? okHttpClient : new OkHttpClient();
            OkHttpClient http = base.newBuilder()
                    .connectTimeout(connectTimeout)
                    .readTimeout(readTimeout)
                    .writeTimeout(readTimeout)
                    .build();
            return new TwilioSmsGateway(this, http);
        }

        private static void positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new ConfigurationException(name + " must be positive, was " + d + ".");
            }
        }

        private static String blank(String v) {
            return v == null || v.isBlank() ? null : v.strip();
        }
    }
}
