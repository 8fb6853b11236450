package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.ChangeListener;
import dev.frontdesk.sms.StoreChange;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each {@link StoreChange} to the listeners subscribed now (the live event streams). Keeps no history and
 * no per-lead state: a change nobody listens to costs one emptiness check. Thread-safe.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    private final CopyOnWriteArrayList<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final LogThrottle failures = new LogThrottle();
    private volatile boolean closed;

    /** Tells every listener of {@code change}; never throws. */
    public void publish(StoreChange change) {
        if (listeners.isEmpty()) {
            return;
        }
        for (ChangeListener l : listeners) {
            try {
                l.onChange(change);
            } catch (RuntimeException e) {
                if (failures.first("listener", Instant.now(), Duration.ofMinutes(1))) {
                    log.warn("A change listener failed ({}); the change is dropped for it", e.toString());
                }
            }
        }
    }

    /** Whether anyone listens; a publisher may skip work that only a listener needs. */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Subscribes {@code listener} until the returned handle is closed; on a closed feed it is told at once. */
    public AutoCloseable subscribe(ChangeListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            listener.onClosed();
            return () -> { };
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells the listeners that no more changes come, and forgets them. */
    @Override
    public void close() {
        closed = true;
        for (ChangeListener l : listeners) {
            listeners.remove(l);
            try {
                l.onClosed();
            } catch (RuntimeException e) {
                log.debug("A change listener failed on close: {}", e.toString());
            }
        }
    }
}
