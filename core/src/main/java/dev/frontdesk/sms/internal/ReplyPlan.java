package dev.frontdesk.sms.internal;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ReplyPolicy} decided a reply job gets: the AI's answer, or the fallback reply for a reason.
 *
 * @param followUp       when a person follows up, in words, if this reply is to tell the customer (out of hours and
 *                       not told yet this closed spell); empty otherwise
 * @param fallbackReason why the fallback reply goes out without an AI call ({@code no_ai}, {@code ai_cap},
 *                       {@code budget}, the {@code fallbackReply} metric's reasons), or null to ask the AI
 */
public record ReplyPlan(Optional<String> followUp, String fallbackReason) {
    public ReplyPlan {
        Objects.requireNonNull(followUp, "followUp");
    }

    /** Whether the AI is asked. */
    public boolean ai() {
        return fallbackReason == null;
    }
}
