package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.EventOutbox;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.OutboxEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The event outbox of the in-memory store; each call holds the state's lock, as a transaction. Thread-safe. */
final class MemoryEventOutbox implements EventOutbox {
    private final MemoryState s;

    MemoryEventOutbox(MemoryState state) {
        this.s = state;
    }

    @Override
    public void enable() {
        synchronized (s.lock) {
            s.eventsEnabled = true;
        }
    }

    @Override
    public boolean enabled() {
        synchronized (s.lock) {
            return s.eventsEnabled;
        }
    }

    @Override
    public OutboxEvent record(EventType type, long leadId, Long messageId, Instant now) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(now, "now");
        synchronized (s.lock) {
            s.existingLead(leadId);
            return s.addEvent(type, leadId, messageId, now).view();
        }
    }

    @Override
    public List<OutboxEvent> claim(String workerId, Duration lease, Instant now, int limit) {
        Objects.requireNonNull(workerId, "workerId");
        Instant until = now.plus(lease);
        synchronized (s.lock) {
            List<OutboxEvent> out = new ArrayList<>();
            for (MemoryState.Event e : s.events.values()) {
                if (out.size() >= limit) {
                    break;
                }
                if (due(e, now)) {
                    e.owner = workerId;
                    e.leaseUntil = until;
                    e.attempts++;
                    out.add(e.view());
                }
            }
            return out;
        }
    }

    private static boolean due(MemoryState.Event e, Instant now) {
        return e.status == OutboxEvent.Status.PENDING && !e.nextAttemptAt.isAfter(now)
                && (e.owner == null || !e.leaseUntil.isAfter(now));
    }

    @Override
    public boolean markDelivered(long id, String workerId, Instant now) {
        synchronized (s.lock) {
            MemoryState.Event e = held(id, workerId);
            if (e == null) {
                return false;
            }
            e.status = OutboxEvent.Status.DELIVERED;
            e.deliveredAt = now;
            e.lastError = null;
            release(e);
            return true;
        }
    }

    @Override
    public boolean retryLater(long id, String workerId, String lastError, Instant nextAttemptAt) {
        synchronized (s.lock) {
            MemoryState.Event e = held(id, workerId);
            if (e == null) {
                return false;
            }
            e.lastError = cut(lastError);
            e.nextAttemptAt = nextAttemptAt;
            release(e);
            return true;
        }
    }

    @Override
    public boolean markFailed(long id, String workerId, String lastError, Instant now) {
        synchronized (s.lock) {
            MemoryState.Event e = held(id, workerId);
            if (e == null) {
                return false;
            }
            e.status = OutboxEvent.Status.FAILED;
            e.lastError = cut(lastError);
            release(e);
            return true;
        }
    }

    @Override
    public List<OutboxEvent> list(OutboxEvent.Status status, int limit) {
        Objects.requireNonNull(status, "status");
        synchronized (s.lock) {
            return s.events.values().stream().filter(e -> e.status == status)
                    .sorted(Comparator.comparingLong((MemoryState.Event e) -> e.id).reversed())
                    .limit(limit).map(MemoryState.Event::view).toList();
        }
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        synchronized (s.lock) {
            return s.events.values().stream().filter(e -> e.status == OutboxEvent.Status.PENDING)
                    .map(e -> e.owner != null && e.leaseUntil.isAfter(now) && e.leaseUntil.isAfter(e.nextAttemptAt)
                            ? e.leaseUntil : e.nextAttemptAt)
                    .min(Comparator.naturalOrder());
        }
    }

    private MemoryState.Event held(long id, String workerId) {
        MemoryState.Event e = s.events.get(id);
        return e != null && e.status == OutboxEvent.Status.PENDING && workerId.equals(e.owner) ? e : null;
    }

    private static void release(MemoryState.Event e) {
        e.owner = null;
        e.leaseUntil = null;
    }

    static String cut(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
    }
}
