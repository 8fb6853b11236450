package dev.frontdesk.sms.spring.internal;

import java.util.Objects;

/**
 * The AI provider and model the front desk writes replies with when it is not the built-in OpenAI client (a
 * LangChain4j {@code ChatModel} bean): the configuration's setup reports them on {@code GET /api/twilio/status}, in
 * the start-up log and in usage records.
 *
 * @param provider the provider's name, e.g. {@code anthropic}
 * @param model    the model's name, e.g. {@code claude-haiku-4-5}
 */
public record AiChoice(String provider, String model) {
    public AiChoice {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
    }
}
