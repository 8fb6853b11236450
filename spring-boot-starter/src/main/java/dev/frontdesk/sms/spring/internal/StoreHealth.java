package dev.frontdesk.sms.spring.internal;

import dev.frontdesk.sms.FrontDesk;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the {@code frontdesk} health contributor reports, whichever Spring Boot line shows it: up while the store
 * answers, with the reply queue's depth; down with a fixed reason otherwise (never the driver's message, which may
 * name hosts or users).
 */
public final class StoreHealth {
    private final FrontDesk frontDesk;

    /** @param frontDesk whose store is checked */
    public StoreHealth(FrontDesk frontDesk) {
        this.frontDesk = Objects.requireNonNull(frontDesk, "frontDesk");
    }

    /** The result of one check. */
    public record Result(boolean up, Map<String, Object> details) {
    }

    /** Asks the store ({@link FrontDesk#health()}) and the reply queue; never throws. */
    public Result check() {
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            if (!frontDesk.health().available()) {
                details.put("error", "the store does not answer");
                return new Result(false, details);
            }
            details.put("replyQueueDepth", frontDesk.pendingReplies());
            details.put("twilio", frontDesk.config().twilioConfigured() ? (frontDesk.config().twilio().testMode() ? "test" : "production") : "simulated");
            return new Result(true, details);
        } catch (RuntimeException e) {
            details.put("error", "the store does not answer");
            return new Result(false, details);
        }
    }
}
