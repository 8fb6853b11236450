package dev.frontdesk.sms;

import java.util.Locale;
import java.util.Optional;

/** Which leads a list shows ({@code GET /api/leads?filter=}); without one, every lead. */
public enum LeadFilter {
    /** The customer spoke last: the lead's latest message is inbound. */
    UNANSWERED,
    /** The lead texted STOP (and not START since). */
    OPTED_OUT,
    /** The AI does not answer the lead now: switched off, or paused until a time still to come. */
    AI_PAUSED;

    /** The name in the API: {@code unanswered}, {@code opted_out}, {@code ai_paused}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The filter with this API name, if there is one. */
    public static Optional<LeadFilter> fromWire(String wire) {
        for (LeadFilter f : values()) {
            if (f.wireName().equals(wire)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
