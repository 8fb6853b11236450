package dev.frontdesk.sms.http.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed attempts per client address, as a token bucket each: an address may fail {@code burst} times at once, then
 * once more per {@code refill}; while its bucket is empty it must wait. A success forgets the address. At most
 * {@code maxAddresses} addresses are remembered, the least recently seen forgotten first, so an attacker with many
 * addresses cannot grow it without limit (a forgotten address starts afresh). Time comes from the caller, so a test
 * clock drives it. Thread-safe.
 */
public final class FailureThrottle {
    private final Duration refill;
    private final Duration allowance;
    private final int maxAddresses;
    /** Per address, when its bucket is full again: each failure moves it {@code refill} further. */
    private final Map<String, Instant> fullAt;

    /**
     * @param burst        failures allowed at once (at least 1)
     * @param refill       time for one more failure to be allowed
     * @param maxAddresses how many addresses are remembered at most
     */
    public FailureThrottle(int burst, Duration refill, int maxAddresses) {
        if (burst < 1 || refill.isNegative() || refill.isZero() || maxAddresses < 1) {
            throw new IllegalArgumentException("burst and maxAddresses must be at least 1 and refill positive");
        }
        this.refill = refill;
        this.allowance = refill.multipliedBy(burst - 1L);
        this.maxAddresses = maxAddresses;
        this.fullAt = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > FailureThrottle.this.maxAddresses;
            }
        };
    }

    /** Zero when {@code address} may try now, else how long it must wait. */
    public synchronized Duration waitBeforeTrying(String address, Instant now) {
        Instant full = fullAt.get(address);
        if (full == null) {
            return Duration.ZERO;
        }
        if (!full.isAfter(now)) {
            fullAt.remove(address); // back to a fresh start: nothing to remember
            return Duration.ZERO;
        }
        Duration wait = Duration.between(now, full).minus(allowance);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** Counts a failure of {@code address}. */
    public synchronized void failed(String address, Instant now) {
        Instant full = fullAt.get(address);
        Instant from = full == null || full.isBefore(now) ? now : full;
        fullAt.put(address, from.plus(refill));
    }

    /** Forgets the failures of {@code address}. */
    public synchronized void succeeded(String address) {
        fullAt.remove(address);
    }

    /** How many addresses are remembered now. */
    public synchronized int size() {
        return fullAt.size();
    }
}
