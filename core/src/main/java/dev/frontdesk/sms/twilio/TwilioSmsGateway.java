package dev.frontdesk.sms.twilio;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.Sleeper;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.internal.Backoff;
import dev.frontdesk.sms.internal.EnvReader;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.internal.RetryAfter;
import dev.frontdesk.sms.twilio.TwilioSendException.Reason;
import dev.frontdesk.sms.twilio.internal.OkHttpTwilioHttpClient;
import dev.frontdesk.sms.twilio.internal.OkHttpTwilioHttpClient.TransportException;
import dev.frontdesk.sms.twilio.internal.TwilioAnswers;
import dev.frontdesk.sms.twilio.internal.VerifiedCallerIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
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
 * otherwise from {@link OutboundSms#from()} or {@code TWILIO_PHONE_NUMBER}. A {@link Channel#WHATSAPP} message goes
 * through the same Messages API with {@code whatsapp:} addresses for {@code To} and {@code From}.
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
 * <p>Thread-safe. Build with {@link Builder#fromEnvironment}, {@link #builder(FrontDeskConfig)} or {@link #builder()}.
 */
public final class TwilioSmsGateway implements SmsGateway {

    private static final Logger log = LoggerFactory.getLogger(TwilioSmsGateway.class);

    private final String accountSid;
    private final PhoneNumber phoneNumber;
    private final String messagingServiceSid;
    private final String statusCallbackUrl;
    private final Set<String> configuredVerified;
    private final Clock clock;
    private final Sleeper sleeper;
    private final int maxAttempts;
    private final Duration maxTotalTime;
    private final Backoff backoff;
    private final OkHttpTwilioHttpClient transport;
    private final TwilioRestClient client;
    private final Semaphore inFlight;

    private final VerifiedCallerIds callerIds;

    private TwilioSmsGateway(Builder b, OkHttpClient http) {
        accountSid = b.accountSid;
        phoneNumber = b.phoneNumber;
        messagingServiceSid = b.messagingServiceSid;
        statusCallbackUrl = b.statusCallbackUrl;
        Set<String> verified = new HashSet<>();
        b.verifiedNumbers.forEach(n -> verified.add(n.value()));
        configuredVerified = Set.copyOf(verified);
        clock = b.clock;
        sleeper = b.sleeper;
        maxAttempts = b.maxAttempts;
        maxTotalTime = b.maxTotalTime;
        backoff = new Backoff(b.initialBackoff, b.maxBackoff, b.jitter);
        inFlight = new Semaphore(b.maxConcurrentRequests, true);
        transport = new OkHttpTwilioHttpClient(http, b.apiBaseUrl);
        client = new TwilioRestClient.Builder(b.accountSid, b.authToken)
                .httpClient(transport)
                .build();
        callerIds = new VerifiedCallerIds(client, b.accountSid, b.verifiedNumbersRefresh, b.clock);
    }

    /** A builder with no values set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding the Twilio-facing values of {@code config}: phone number, Messaging Service, verified
     * numbers and the StatusCallback URL. The account SID and auth token are the caller's to add
     * ({@link Builder#fromEnvironment} reads them).
     */
    public static Builder builder(FrontDeskConfig config) {
        Objects.requireNonNull(config, "config");
        FrontDeskConfig.TwilioNumbers numbers = config.twilio();
        return new Builder()
                .phoneNumber(numbers.phoneNumber())
                .messagingServiceSid(numbers.messagingServiceSid())
                .verifiedNumbers(numbers.verifiedNumbers())
                .statusCallbackUrl(config.statusCallbackUrl());
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
                throw TwilioFailures.fail(Reason.CONNECTION_FAILED, null, 0, "Interrupted while waiting to send; the message was not sent.", ie);
            }
            OkHttpTwilioHttpClient.Attempt wire = transport.beginAttempt();
            try {
                Message m = creator(sms).create(client);
                SendResult result = TwilioAnswers.read(m);
                log.debug("Twilio accepted message {} to {}", result.sid(), sms.to().masked());
                return result;
            } catch (TransportException e) {
                failure = e.requestSent()
                        ? TwilioFailures.fail(Reason.OUTCOME_UNKNOWN, null, 0, e.getMessage()
                                + " after the request was sent; Twilio may or may not have created the message, so it is not sent again.", e)
                        : TwilioFailures.fail(Reason.CONNECTION_FAILED, null, 0, e.getMessage() + "; the message was not sent.", e);
            } catch (TwilioException | IllegalArgumentException | IllegalStateException e) {
                if (wire.httpStatus() >= 200 && wire.httpStatus() < 300) {
                    // The SDK choked on some field of a success answer; read the four fields we need ourselves.
                    SendResult tolerant = TwilioAnswers.readLeniently(wire.successBody());
                    if (tolerant != null) {
                        log.debug("Twilio accepted message {}; its answer was read leniently ({})", tolerant.sid(),
                                LogSafe.truncate(String.valueOf(e.getMessage()), 120));
                        return tolerant;
                    }
                    // Twilio said yes but its answer could not be read: the message exists, its SID is unknown.
                    failure = TwilioFailures.fail(Reason.OUTCOME_UNKNOWN, null, wire.httpStatus(),
                            "Twilio accepted the request but its answer could not be read; the message is not sent again.", e);
                } else if (e instanceof ApiException) {
                    failure = TwilioFailures.fromApiException((ApiException) e, wire.httpStatus());
                } else {
                    failure = TwilioFailures.fromStatus(wire.httpStatus(), e);
                }
                retryAfter = RetryAfter.parse(wire.retryAfterHeader(), clock.instant());
            } finally {
                transport.endAttempt();
                inFlight.release();
            }

            if (!failure.retryable() || attempt >= maxAttempts) {
                throw failure;
            }
            Duration delay = backoff.delay(attempt, retryAfter);
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
        return backoff.delay(attempt);
    }

    private MessageCreator creator(OutboundSms sms) {
        // WhatsApp through Twilio: the same Messages API, with whatsapp: addresses for To and From.
        Channel channel = sms.channel();
        com.twilio.type.PhoneNumber to = new com.twilio.type.PhoneNumber(channel.address(sms.to()));
        String callback = sms.statusCallback() != null ? sms.statusCallback() : statusCallbackUrl;
        String from = channel.number(sms.from());
        MessageCreator c;
        if (messagingServiceSid != null) {
            c = Message.creator(accountSid, to, messagingServiceSid, sms.body());
            if (from != null && (phoneNumber == null || !phoneNumber.value().equals(from) || channel != Channel.SMS)) {
                c.setFrom(new com.twilio.type.PhoneNumber(channel.address(from)));
            }
        } else {
            c = Message.creator(accountSid, to, new com.twilio.type.PhoneNumber(channel.address(from != null ? from : phoneNumber.value())),
                    sms.body());
        }
        if (callback != null) {
            c.setStatusCallback(callback);
        }
        return c;
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
        return callerIds.get().contains(number.value());
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
        /** {@code TWILIO_API_BASE_URL} when unset. */
        public static final String DEFAULT_API_BASE_URL = "https://api.twilio.com";

        private String accountSid;
        private String authToken;
        private PhoneNumber phoneNumber;
        private String messagingServiceSid;
        private String apiBaseUrl = DEFAULT_API_BASE_URL;
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

        /**
         * A builder for the gateway of {@code config} ({@link TwilioSmsGateway#builder(FrontDeskConfig)}) with the
         * Twilio client's own variables read from {@code env}: {@code TWILIO_ACCOUNT_SID}, {@code TWILIO_AUTH_TOKEN},
         * {@code TWILIO_API_BASE_URL} (default {@value #DEFAULT_API_BASE_URL}) and
         * {@code TWILIO_MAX_CONCURRENT_REQUESTS} (default {@value #DEFAULT_MAX_CONCURRENT_REQUESTS}).
         *
         * @throws ConfigurationException naming the variable when a value is malformed
         */
        public static Builder fromEnvironment(Map<String, String> env, FrontDeskConfig config) {
            EnvReader r = new EnvReader(env);
            return builder(config)
                    .accountSid(r.get("TWILIO_ACCOUNT_SID"))
                    .authToken(r.get("TWILIO_AUTH_TOKEN"))
                    .apiBaseUrl(r.url("TWILIO_API_BASE_URL", DEFAULT_API_BASE_URL))
                    .maxConcurrentRequests(r.integer("TWILIO_MAX_CONCURRENT_REQUESTS", DEFAULT_MAX_CONCURRENT_REQUESTS, 1, 1000));
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
