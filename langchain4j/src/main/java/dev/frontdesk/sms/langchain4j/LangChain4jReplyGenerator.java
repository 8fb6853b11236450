package dev.frontdesk.sms.langchain4j;

import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.ReplyRequest;
import dev.frontdesk.sms.ReplyResult;
import dev.frontdesk.sms.SecretFingerprints;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.internal.ReplyGuard;
import dev.frontdesk.sms.internal.ReplyPrompt;
import dev.frontdesk.sms.internal.ReplyPrompt.Prompt;
import dev.frontdesk.sms.internal.ReplyPrompt.Shape;
import dev.frontdesk.sms.langchain4j.internal.DeadlineCall;
import dev.frontdesk.sms.langchain4j.internal.ModelAnswers;
import dev.frontdesk.sms.langchain4j.internal.ModelRequests;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReplyGenerator} over any LangChain4j {@link ChatModel}: Anthropic, Gemini, Ollama, Azure OpenAI, Mistral,
 * Bedrock... The host builds the model with its provider's module (and its key, base URL, model name and timeout)
 * and hands it in; this module needs only {@code langchain4j-core}.
 *
 * <h2>The prompt</h2>
 * The same as the built-in OpenAI generator's: one system message written only from the host's configuration (the
 * business's name, profile and number, the rules of an SMS front desk, the notes for this reply), then the lead's
 * most recent messages, oldest first, the customer's as user messages and the business's as AI messages. Customer
 * text appears only in user messages, never in the instructions.
 *
 * <h2>The answer</h2>
 * Where the model says it supports JSON schema ({@link ChatModel#supportedCapabilities()} holds
 * {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA}), the reply and the booking details come as a JSON object under a
 * schema; otherwise the model is made to call the one tool {@code front_desk_reply} with that object as its
 * arguments (tool choice required); a model that refuses tools ({@link UnsupportedFeatureException}) is asked for
 * plain text from then on, and nothing is extracted. Every reply passes the output check on the model's own text
 * ({@link #checksReplies()}), then is fitted for SMS. Tokens are reported as the provider counted them.
 *
 * <h2>Failures and time</h2>
 * Every call ends by {@link ReplyRequest#deadline()}: the model runs on its own thread and is interrupted when the
 * deadline passes. Provider errors (HTTP errors, rate limits, timeouts), filtered, refused or empty answers throw
 * {@link LangChain4jReplyException}, so the front desk sends its fallback reply. Retries are the model's own
 * ({@code maxRetries} of its builder), all within the deadline.
 *
 * <p>Thread-safe when the model is (LangChain4j's provider models are).
 */
public final class LangChain4jReplyGenerator implements ReplyGenerator {
    private static final Logger log = LoggerFactory.getLogger(LangChain4jReplyGenerator.class);

    private final ChatModel model;
    private final String modelName;
    private final int maxReplyChars;
    private final ReplyPrompt prompts;
    private final ModelRequests requests;
    private final ModelAnswers answers;
    private final DeadlineCall calls;
    private final String region;
    private final List<String> secrets;
    private final SecretFingerprints fingerprints;
    /** Set once the model refused a tool call: plain text from then on. */
    private final AtomicBoolean toolsRefused = new AtomicBoolean();

    private LangChain4jReplyGenerator(Builder b) {
        model = b.model;
        modelName = b.modelName;
        maxReplyChars = b.maxReplyChars;
        prompts = new ReplyPrompt(b.maxReplyChars, b.historyLimit, b.clock);
        requests = new ModelRequests(b.maxOutputTokens);
        answers = new ModelAnswers(b.maxReplyChars, b.modelName);
        calls = new DeadlineCall(b.executor, b.clock);
        region = b.region;
        secrets = List.copyOf(b.secrets);
        fingerprints = b.fingerprints;
    }

    /** A builder for a generator on {@code model}. */
    public static Builder builder(ChatModel model) {
        return new Builder(model);
    }

    /**
     * A builder for a generator on {@code model} holding the reply length cap, history limit, phone region and
     * secret fingerprints of {@code config}.
     */
    public static Builder builder(FrontDeskConfig config, ChatModel model) {
        Objects.requireNonNull(config, "config");
        return new Builder(model).maxReplyChars(config.replies().maxChars()).historyLimit(config.replies().historyLimit())
                .outputCheck(config.business().defaultRegion(), List.of()).secretFingerprints(config.secretFingerprints());
    }

    /**
     * Asks the model for a reply and makes it fit for SMS.
     *
     * @return the reply, never null or blank
     * @throws LangChain4jReplyException when no usable reply came before the deadline
     */
    @Override
    public String generateReply(ReplyRequest request) {
        return generate(request).reply();
    }

    /**
     * Asks the model for the reply and, where it can give structured output (JSON schema or a tool call), the
     * booking details the customer has given, and reports the tokens the provider counted.
     *
     * @throws LangChain4jReplyException when no usable reply came before the deadline
     * @throws dev.frontdesk.sms.ReplyRefusedException when the answer failed the output check
     */
    @Override
    public ReplyResult generate(ReplyRequest request) {
        Objects.requireNonNull(request, "request");
        Shape shape = shape();
        try {
            return ask(request, shape);
        } catch (UnsupportedFeatureException e) {
            if (shape != Shape.TOOL) {
                throw new LangChain4jReplyException("The model refused the request: " + LogSafe.error(e), e);
            }
            toolsRefused.set(true);
            log.info("The model does not take tool calls ({}); asking it for plain text replies from now on", LogSafe.error(e));
            return ask(request, Shape.TEXT);
        }
    }

    private Shape shape() {
        if (model.supportedCapabilities().contains(Capability.RESPONSE_FORMAT_JSON_SCHEMA)) {
            return Shape.JSON;
        }
        return toolsRefused.get() ? Shape.TEXT : Shape.TOOL;
    }

    private ReplyResult ask(ReplyRequest request, Shape shape) {
        Prompt prompt = prompts.build(request, shape);
        ReplyGuard guard = prompts.guard(request, prompt, region, secrets).withFingerprints(fingerprints);
        ChatResponse response;
        try {
            response = calls.call(() -> model.chat(requests.chatRequest(prompt, shape)), request.deadline());
        } catch (LangChain4jReplyException | UnsupportedFeatureException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LangChain4jReplyException("Interrupted while waiting for the model.", e);
        } catch (Exception e) {
            throw new LangChain4jReplyException("The model provider failed: " + LogSafe.error(e, LangChain4jReplyGenerator::httpStatus), e);
        }
        return answers.read(response, shape, guard);
    }

    /** " (HTTP 429)" for a failure caused by an HTTP error answer, else "". */
    private static String httpStatus(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof HttpException h) {
                return " (HTTP " + h.statusCode() + ")";
            }
        }
        return "";
    }

    /**
     * The fixed part of the instructions, the same for every request. A reply may not quote them: this generator's own
     * check on the model's answer covers them and the rest of the system message ({@link #checksReplies()}).
     */
    @Override
    public String instructions() {
        return prompts.fixedInstructions();
    }

    /**
     * True: every reply is checked here, on the model's own text before SMS fitting, against the business's number for
     * the request, the whole system message but the business's facts and the notes, and the secrets given to
     * {@link Builder#outputCheck} and {@link Builder#secretFingerprints}.
     */
    @Override
    public boolean checksReplies() {
        return true;
    }

    /** The model named in usage records when the provider's answer names none, or null. */
    public String modelName() {
        return modelName;
    }

    @Override
    public String toString() {
        return "LangChain4jReplyGenerator{model=" + model.getClass().getSimpleName() + (modelName == null ? "" : ", modelName=" + modelName) + "}";
    }

    /** Builds a {@link LangChain4jReplyGenerator}; {@link #build()} names any invalid field. Not thread-safe. */
    public static final class Builder {
        private final ChatModel model;
        private String modelName;
        private int maxReplyChars = 320;
        private int historyLimit = 20;
        private Integer maxOutputTokens;
        private Clock clock = Clock.systemUTC();
        private Executor executor = Builder::daemonThread;
        private String region = "US";
        private List<String> secrets = new ArrayList<>();
        private SecretFingerprints fingerprints = SecretFingerprints.NONE;

        private Builder(ChatModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The model's name, for usage records and the status page when the provider's answer names none. */
        public Builder modelName(String v) { modelName = v == null || v.isBlank() ? null : v.strip(); return this; }
        /** Longest reply in characters (default 320, Twilio's recommended maximum). */
        public Builder maxReplyChars(int v) { maxReplyChars = v; return this; }
        /** Most recent messages put in the prompt (default 20). */
        public Builder historyLimit(int v) { historyLimit = v; return this; }
        /**
         * Most output tokens asked for with every request; null (the default) leaves the model's own setting (its
         * builder's {@code maxTokens}), which a thinking model also spends on its reasoning.
         */
        public Builder maxOutputTokens(Integer v) { maxOutputTokens = v; return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }
        /** Runs each model call, so that the caller can stop waiting at the deadline (default: a daemon thread per call). */
        public Builder executor(Executor v) { executor = Objects.requireNonNull(v, "executor"); return this; }

        /**
         * What the output check on the model's raw answer knows: the region for phone numbers written without a
         * country code (default US) and secrets no answer may contain (the provider's API key).
         */
        public Builder outputCheck(String region, List<String> secrets) {
            this.region = Objects.requireNonNull(region, "region");
            this.secrets = new ArrayList<>(secrets);
            return this;
        }

        /** Fingerprints of the host's secrets no answer may contain ({@link FrontDeskConfig#secretFingerprints()}). */
        public Builder secretFingerprints(SecretFingerprints v) { fingerprints = Objects.requireNonNull(v, "fingerprints"); return this; }

        /** @throws ConfigurationException naming the invalid field */
        public LangChain4jReplyGenerator build() {
            if (maxReplyChars < 40 || maxReplyChars > 1600) {
                throw new ConfigurationException("maxReplyChars must be between 40 and 1600, was " + maxReplyChars + ".");
            }
            if (historyLimit < 1) {
                throw new ConfigurationException("historyLimit must be at least 1, was " + historyLimit + ".");
            }
            if (maxOutputTokens != null && maxOutputTokens < 1) {
                throw new ConfigurationException("maxOutputTokens must be at least 1, was " + maxOutputTokens + ".");
            }
            return new LangChain4jReplyGenerator(this);
        }

        private static void daemonThread(Runnable r) {
            Thread t = new Thread(r, "frontdesk-langchain4j");
            t.setDaemon(true);
            t.start();
        }
    }
}
