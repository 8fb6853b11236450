package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Objects;

/**
 * One call to the reply generator, kept for usage and cost ({@code GET /api/usage}).
 *
 * @param leadId           the lead the reply was for
 * @param replyJobId       the reply job, or null
 * @param model            the model that answered, or null when unknown
 * @param outcome          {@code ok}, {@code empty} (no text), {@code refused} (failed the output check),
 *                         {@code failed} or {@code timeout}
 * @param promptTokens     input tokens the provider counted, 0 when unknown
 * @param completionTokens output tokens the provider counted, 0 when unknown
 * @param latencyMillis    how long the call took
 * @param createdAt        when it was made
 */
public record AiCall(long leadId, Long replyJobId, String model, String outcome, int promptTokens, int completionTokens,
                     long latencyMillis, Instant createdAt) {
    public AiCall {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(createdAt, "createdAt");
        if (promptTokens < 0 || completionTokens < 0 || latencyMillis < 0) {
            throw new IllegalArgumentException("token counts and latency must not be negative");
        }
    }
}
