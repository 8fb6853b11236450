package dev.frontdesk.sms.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says whether an event is the first of its kind in a window, so that a cap is logged once per window, not once
 * per message. Keys are the kind of event (a cap's name, or a lead's id for a per-lead cap). At most about
 * {@value #MAX_KEYS} keys are remembered: past that, windows that ended are forgotten. Thread-safe.
 */
final class LogThrottle {
    static final int MAX_KEYS = 10_000;

    private final ConcurrentHashMap<Object, Instant> loggedUntil = new ConcurrentHashMap<>();

    /** Whether {@code key} was not logged in the window now running; if so, a new window of {@code window} starts now. */
    boolean first(Object key, Instant now, Duration window) {
        if (loggedUntil.size() > MAX_KEYS) {
            loggedUntil.values().removeIf(until -> !until.isAfter(now));
        }
        boolean[] first = {false};
        loggedUntil.compute(key, (k, until) -> {
            if (until == null || !until.isAfter(now)) {
                first[0] = true;
                return now.plus(window);
            }
            return until;
        });
        return first[0];
    }
}
