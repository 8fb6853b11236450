package dev.frontdesk.sms.http.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Lets one log line through per interval and counts the ones held back, so an attack that repeats one request
 * thousands of times cannot flood the log. Time comes from the caller. Thread-safe.
 */
public final class LogLimiter {
    private final Duration interval;
    private Instant last;
    private long held;

    public LogLimiter(Duration interval) {
        this.interval = interval;
    }

    /**
     * Whether to write the line now.
     *
     * @return -1 to hold it back, else how many lines were held back since the last one written
     */
    public synchronized long acquire(Instant now) {
        if (last != null && now.isBefore(last.plus(interval)) && !now.isBefore(last)) {
            held++;
            return -1;
        }
        long n = held;
        held = 0;
        last = now;
        return n;
    }
}
