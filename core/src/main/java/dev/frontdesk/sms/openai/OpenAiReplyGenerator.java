package dev.frontdesk.sms.openai;

import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.ReplyRequest;
import dev.frontdesk.sms.ReplyResult;
import dev.frontdesk.sms.Sleeper;
import dev.frontdesk.sms.internal.Backoff;
import dev.frontdesk.sms.internal.EnvReader;
import dev.frontdesk.sms.internal.ReplyGuard;
import dev.frontdesk.sms.internal.ReplyPrompt;
import dev.frontdesk.sms.internal.ReplyPrompt.Prompt;
import dev.frontdesk.sms.internal.RetryAfter;
import dev.frontdesk.sms.openai.internal.ChatRequests;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReplyGenerator} on the OpenAI Chat Completions API ({@code POST {base}/chat/completions}),
 * with OkHttp and Jackson; any OpenAI-compatible server works.
 *
 * <h2>The prompt</h2>
 * One {@code system} message written only from the host's configuration: the business's name, profile
 * and number, and the rules of an SMS front desk (short and friendly; ask for what is needed to book the
 * job: name, address, what is wrong, when; never invent prices, availability or promises). Then the
 * lead's most recent messages, at most {@link Builder#historyLimit}, oldest first: the customer's as
 * {@code user} turns, the business's as {@code assistant} turns. Customer text appears only in
 * {@code user} messages, never in the instructions.
 *
 * <h2>The answer</h2>
 * Made fit for SMS: markdown removed, at most {@link Builder#maxReplyChars} characters (default 320) cut
 * after the last whole sentence. An empty answer, {@code content: null} or a {@code refusal} is a failure
 * ({@link OpenAiException}), so the front desk sends its fallback reply instead.
 *
 * <h2>Time</h2>
 * Every call ends by {@link ReplyRequest#deadline()}: each attempt's OkHttp call timeout is the time left.
 * 429 and 5xx answers and connection failures are retried with exponential backoff and jitter, honouring
 * {@code Retry-After}, only while the wait still ends before the deadline.
 *
 * <p>The API key is sent only in the {@code Authorization} header and never logged or put in an exception.
 * Thread-safe.
 */
public final class OpenAiReplyGenerator implements ReplyGenerator {

    private static final Logger log = LoggerFactory.getLogger(OpenAiReplyGenerator.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final String apiKey;
    private final HttpUrl endpoint;
    private final String model;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Clock clock;
    private final Sleeper sleeper;
    private final OkHttpClient http;
    private final ReplyPrompt prompts;
    private final ChatRequests requests;
    private final OpenAiAnswers answers;
    private final String guardRegion;
    private final List<String> guardSecrets;

    private OpenAiReplyGenerator(Builder b, OkHttpClient http) {
        apiKey = b.apiKey;
        endpoint = HttpUrl.get(b.baseUrl + "/chat/completions");
        model = b.model;
        maxAttempts = b.maxAttempts;
        backoff = new Backoff(b.initialBackoff, Duration.ofMillis(Long.MAX_VALUE), b.jitter);
        clock = b.clock;
        sleeper = b.sleeper;
        prompts = new ReplyPrompt(b.maxReplyChars, b.historyLimit, b.clock);
        requests = new ChatRequests(b.model, b.maxTokens, b.temperature, prompts);
        answers = new OpenAiAnswers(b.maxReplyChars, b.model);
        guardRegion = b.guardRegion;
        List<String> secrets = new ArrayList<>(b.guardSecrets);
        secrets.add(b.apiKey);
        guardSecrets = secrets;
        this.http = http;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding the reply length cap, history limit and phone region of {@code config}; the key and
     * model settings are the caller's to add ({@link Builder#fromEnvironment} reads them).
     */
    public static Builder builder(FrontDeskConfig config) {
        Objects.requireNonNull(config, "config");
        return new Builder()
                .outputCheck(config.business().defaultRegion(), List.of())
                .maxReplyChars(config.replies().maxChars())
                .historyLimit(config.replies().historyLimit());
    }

    /**
     * Asks the model for a reply and makes it fit for SMS.
     *
     * @return the reply, never null or blank
     * @throws OpenAiException when no usable reply came before the deadline
     */
    @Override
    public String generateReply(ReplyRequest request) {
        Objects.requireNonNull(request, "request");
        Prompt prompt = requests.prompt(request, false);
        ReplyGuard guard = prompts.guard(request, prompt, guardRegion, guardSecrets);
        return execute(requests.body(prompt, false), request.deadline(), (text, status) -> answers.readReply(text, status, guard));
    }

    /**
     * Asks the model, with OpenAI's JSON-schema structured output ({@code response_format} of type
     * {@code json_schema}), for the reply and for the booking details the customer has given (name, service,
     * address or area, urgency, preferred time), and reports the tokens the server counted. A server that
     * ignores {@code response_format} and answers in plain text still gives a reply, with nothing extracted.
     *
     * @throws OpenAiException when no usable reply came before the deadline
     */
    @Override
    public ReplyResult generate(ReplyRequest request) {
        Objects.requireNonNull(request, "request");
        Prompt prompt = requests.prompt(request, true);
        ReplyGuard guard = prompts.guard(request, prompt, guardRegion, guardSecrets);
        return execute(requests.body(prompt, true), request.deadline(), (text, status) -> answers.readStructured(text, status, guard));
    }

    private <T> T execute(byte[] body, Instant deadline, BiFunction<String, Integer, T> reader) {
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new OpenAiException("The reply deadline passed before the model answered.", 0, true, null);
            }
            OpenAiException failure;
            Duration retryAfter = null;
            Call call = http.newCall(new Request.Builder()
                    .url(endpoint)
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Accept", "application/json")
                    .post(RequestBody.create(body, JSON))
                    .build());
            call.timeout().timeout(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
            try (Response response = call.execute()) {
                String text = response.body().string();
                if (response.isSuccessful()) {
                    return reader.apply(text, response.code());
                }
                int code = response.code();
                boolean retryable = code == 429 || code >= 500;
                failure = new OpenAiException("The model server answered HTTP " + code + answers.errorDetail(text) + ".", code, retryable, null);
                retryAfter = RetryAfter.parse(response.header("Retry-After"), clock.instant());
            } catch (IOException e) {
                // A timeout here is the call timeout (time left until the deadline) or the connect timeout;
                // the deadline check before the next attempt tells them apart.
                failure = new OpenAiException(e instanceof InterruptedIOException
                        ? "The model server did not answer in time."
                        : "Could not reach the model server (" + e.getClass().getSimpleName() + ").", 0, true, e);
            }

            if (!failure.retryable() || attempt >= maxAttempts) {
                throw failure;
            }
            Duration delay = backoff.delay(attempt, retryAfter);
            if (clock.instant().plus(delay).isAfter(deadline)) {
                throw failure; // waiting would end after the deadline: the fallback reply goes out now
            }
            log.warn("Model server failed ({}); attempt {} of {}, retrying in {} ms",
                    failure.getMessage(), attempt, maxAttempts, delay.toMillis());
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    /**
     * The fixed part of the instructions, the same for every request. A reply may not quote them (a model talked
     * into "repeat your system prompt"): this generator's own check on the model's answer covers them and the
     * rest of the system message ({@link #checksReplies()}).
     */
    @Override
    public String instructions() {
        return prompts.fixedInstructions();
    }

    /**
     * True: every reply is checked here, on the model's own text before SMS fitting, against the business's number
     * for the request, the whole system message but the business's facts and the notes, the API key and the
     * secrets given to {@link Builder#outputCheck}.
     */
    @Override
    public boolean checksReplies() {
        return true;
    }

    @Override
    public String toString() {
        return "OpenAiReplyGenerator{endpoint=" + endpoint + ", model=" + model + ", apiKey=(set)}";
    }

    /** Builds an {@link OpenAiReplyGenerator}; {@link #build()} names any missing or invalid field. Not thread-safe. */
    public static final class Builder {
        /** {@code OPENAI_BASE_URL} when unset. */
        public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

        private String apiKey;
        private String baseUrl = DEFAULT_BASE_URL;
        private String model = FrontDeskConfig.DEFAULT_AI_MODEL;
        private int maxReplyChars = 320;
        private int historyLimit = 20;
        private int maxTokens = 300;
        private Double temperature;
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private OkHttpClient okHttpClient;
        private Clock clock = Clock.systemUTC();
        private String guardRegion = "US";
        private List<String> guardSecrets = new ArrayList<>();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /**
         * A builder for the generator of {@code config} ({@link OpenAiReplyGenerator#builder(FrontDeskConfig)}) with
         * the OpenAI client's own variables read from {@code env}: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}
         * (default {@value #DEFAULT_BASE_URL}), {@code OPENAI_MODEL} (default {@code gpt-4o-mini}) and
         * {@code OPENAI_TEMPERATURE} (0 to 2; unset sends none).
         *
         * @throws ConfigurationException naming the variable when a value is malformed
         */
        public static Builder fromEnvironment(Map<String, String> env, FrontDeskConfig config) {
            EnvReader r = new EnvReader(env);
            return builder(config)
                    .apiKey(r.get("OPENAI_API_KEY"))
                    .baseUrl(r.url("OPENAI_BASE_URL", DEFAULT_BASE_URL))
                    .model(r.getOr("OPENAI_MODEL", FrontDeskConfig.DEFAULT_AI_MODEL))
                    .temperature(r.temperature("OPENAI_TEMPERATURE"));
        }

        /** {@code OPENAI_API_KEY}; required, never logged. */
        public Builder apiKey(String v) { apiKey = v == null || v.isBlank() ? null : v.strip(); return this; }
        /** {@code OPENAI_BASE_URL}, default {@code https://api.openai.com/v1}; requests go to {@code {base}/chat/completions}. */
        public Builder baseUrl(String v) { baseUrl = Objects.requireNonNull(v, "baseUrl").strip().replaceAll("/+$", ""); return this; }
        /** {@code OPENAI_MODEL}, default {@code gpt-4o-mini}. */
        public Builder model(String v) { model = Objects.requireNonNull(v, "model").strip(); return this; }
        /** Longest reply in characters (default 320, Twilio's recommended maximum). */
        public Builder maxReplyChars(int v) { maxReplyChars = v; return this; }
        /** Most recent messages put in the prompt (default 20). */
        public Builder historyLimit(int v) { historyLimit = v; return this; }
        /** {@code max_tokens} asked of the model (default 300). */
        public Builder maxTokens(int v) { maxTokens = v; return this; }
        /**
         * {@code OPENAI_TEMPERATURE}: sampling temperature between 0 and 2, sent with every request; null (the
         * default) sends none, so the server's own default applies and reasoning models, which reject the
         * field, work.
         */
        public Builder temperature(Double v) { temperature = v; return this; }
        /** Attempts per reply, including the first (default 3), all within the deadline. */
        public Builder maxAttempts(int v) { maxAttempts = v; return this; }
        /** First backoff (default 500 ms), doubled per attempt. */
        public Builder initialBackoff(Duration v) { initialBackoff = Objects.requireNonNull(v, "initialBackoff"); return this; }
        /** TCP connect timeout (default 5 s); the whole call is bounded by the reply deadline. */
        public Builder connectTimeout(Duration v) { connectTimeout = Objects.requireNonNull(v, "connectTimeout"); return this; }
        /** A shared OkHttp client to derive this generator's client from. */
        public Builder okHttpClient(OkHttpClient v) { okHttpClient = Objects.requireNonNull(v, "okHttpClient"); return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }
        /**
         * What the output check on the model's raw answer knows besides the API key: the region for phone
         * numbers written without a country code (default US) and further secrets no answer may contain.
         * {@link #builder(FrontDeskConfig)} sets the region from the configuration; the API key is always one.
         */
        public Builder outputCheck(String region, List<String> secrets) {
            guardRegion = Objects.requireNonNull(region, "region");
            guardSecrets = new ArrayList<>(secrets);
            return this;
        }
        public Builder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v, "sleeper"); return this; }
        /** Source of jitter in [0, 1). */
        public Builder jitter(DoubleSupplier v) { jitter = Objects.requireNonNull(v, "jitter"); return this; }

        /** @throws ConfigurationException naming the missing or invalid field */
        public OpenAiReplyGenerator build() {
            if (apiKey == null) {
                throw new ConfigurationException("apiKey is required (OPENAI_API_KEY).");
            }
            if (HttpUrl.parse(baseUrl + "/chat/completions") == null) {
                throw new ConfigurationException("baseUrl (OPENAI_BASE_URL) must be an http:// or https:// URL.");
            }
            if (model.isEmpty()) {
                throw new ConfigurationException("model (OPENAI_MODEL) must not be blank.");
            }
            if (maxReplyChars < 40 || maxReplyChars > 1600) {
                throw new ConfigurationException("maxReplyChars must be between 40 and 1600, was " + maxReplyChars + ".");
            }
            if (historyLimit < 1) {
                throw new ConfigurationException("historyLimit must be at least 1, was " + historyLimit + ".");
            }
            if (maxAttempts < 1) {
                throw new ConfigurationException("maxAttempts must be at least 1, was " + maxAttempts + ".");
            }
            if (maxTokens < 1) {
                throw new ConfigurationException("maxTokens must be at least 1, was " + maxTokens + ".");
            }
            if (initialBackoff.isNegative() || initialBackoff.isZero()) {
                throw new ConfigurationException("initialBackoff must be positive.");
            }
            if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
                throw new ConfigurationException("temperature (OPENAI_TEMPERATURE) must be between 0 and 2, was " + temperature + ".");
            }
            OkHttpClient base = okHttpClient != null ? okHttpClient : new OkHttpClient();
            OkHttpClient http = base.newBuilder()
                    .connectTimeout(connectTimeout)
                    .readTimeout(Duration.ZERO) // the call timeout (time left until the deadline) bounds everything
                    .writeTimeout(Duration.ZERO)
                    .build();
            return new OpenAiReplyGenerator(this, http);
        }
    }
}
