package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.Qualification;
import java.util.Map;
import java.util.Objects;

/**
 * A reply ready to record and send.
 *
 * @param text             what to send
 * @param kind             {@code ai} or {@code fallback}
 * @param afterHoursNotice whether it tells the customer when a person follows up
 * @param aiCall           the AI call made for it (recorded with the reply's sending), or null when none was made
 * @param learned          booking details the AI read from the conversation (recorded with the reply), never null
 * @param handoffRequested whether the AI's answer said the customer asks to talk to a person
 */
public record Reply(String text, String kind, boolean afterHoursNotice, AiCall aiCall, Map<Qualification.Field, String> learned,
                    boolean handoffRequested) {
    public Reply {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
        learned = learned == null ? Map.of() : Map.copyOf(learned);
    }

    /** A reply written without an AI call. */
    public Reply(String text, String kind, boolean afterHoursNotice) {
        this(text, kind, afterHoursNotice, null, Map.of(), false);
    }

    /** This reply, with the AI call it came from and what the AI learned. */
    Reply from(AiCall call, Map<Qualification.Field, String> details, boolean handoff) {
        return new Reply(text, kind, afterHoursNotice, call, details, handoff);
    }
}
