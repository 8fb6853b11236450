package dev.frontdesk.sms.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": the wait before attempt {@code n + 1} is the initial wait doubled
 * {@code n - 1} times, capped at the largest wait, of which half is fixed and half random. The fixed half keeps
 * retries from hammering a server that is down; the random half spreads clients that failed together. Used by
 * the Twilio gateway and the OpenAI generator; a server's {@code Retry-After} ({@link RetryAfter}) wins when
 * it asks for longer. Immutable and thread-safe when {@code jitter} is.
 */
public final class Backoff {
    private static final int MAX_DOUBLINGS = 20;

    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier jitter;

    /**
     * @param initial the first wait (before jitter), positive
     * @param max     the largest wait (before jitter), positive
     * @param jitter  random numbers in [0, 1); values outside are clamped
     */
    public Backoff(Duration initial, Duration max, DoubleSupplier jitter) {
        initialMillis = Objects.requireNonNull(initial, "initial").toMillis();
        maxMillis = Objects.requireNonNull(max, "max").toMillis();
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        if (initialMillis <= 0 || maxMillis <= 0) {
            throw new IllegalArgumentException("backoff waits must be positive, were " + initial + " and " + max);
        }
    }

    /** The wait after failed attempt {@code attempt} (1 for the first), before attempt {@code attempt + 1}. */
    public Duration delay(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, MAX_DOUBLINGS));
        long base = initialMillis > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : initialMillis << doublings;
        long capped = Math.min(base, maxMillis);
        double j = Math.max(0, Math.min(1, jitter.getAsDouble()));
        return Duration.ofMillis(capped / 2 + (long) (j * (capped - capped / 2)));
    }

    /** {@code retryAfter} when the server asked for longer than {@link #delay}, else the backoff. */
    public Duration delay(int attempt, Duration retryAfter) {
        Duration d = delay(attempt);
        return retryAfter != null && retryAfter.compareTo(d) > 0 ? retryAfter : d;
    }
}
