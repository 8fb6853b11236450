package dev.frontdesk.sms;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits between two attempts of a call that is retried (a Twilio send, an OpenAI request). Injected through
 * the clients' builders so that tests record the waits instead of sleeping on wall-clock time.
 */
@FunctionalInterface
public interface Sleeper {
    /** {@link Thread#sleep}. */
    Sleeper SYSTEM = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

    /** Waits {@code duration}; an interrupt ends the wait and the retrying. */
    void sleep(Duration duration) throws InterruptedException;
}
