package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.OwnerAlert;
import dev.frontdesk.sms.OwnerAlerts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The owner alerts of the in-memory store; each call holds the state's lock, as a transaction. Thread-safe. */
final class MemoryOwnerAlerts implements OwnerAlerts {
    private final MemoryState s;

    MemoryOwnerAlerts(MemoryState state) {
        this.s = state;
    }

    @Override
    public void enable() {
        synchronized (s.lock) {
            s.alertsEnabled = true;
        }
    }

    @Override
    public boolean enabled() {
        synchronized (s.lock) {
            return s.alertsEnabled;
        }
    }

    @Override
    public List<OwnerAlert> claim(String workerId, Duration lease, Instant now, int limit) {
        Objects.requireNonNull(workerId, "workerId");
        Instant until = now.plus(lease);
        synchronized (s.lock) {
            List<OwnerAlert> out = new ArrayList<>();
            for (MemoryState.Alert a : s.alerts.values()) {
                if (out.size() >= limit) {
                    break;
                }
                if (a.status == OwnerAlert.Status.PENDING && !a.nextAttemptAt.isAfter(now)
                        && (a.owner == null || !a.leaseUntil.isAfter(now))) {
                    a.owner = workerId;
                    a.leaseUntil = until;
                    a.attempts++;
                    out.add(a.view());
                }
            }
            return out;
        }
    }

    @Override
    public boolean markSent(long id, String workerId, String twilioSid, Instant now) {
        synchronized (s.lock) {
            MemoryState.Alert a = held(id, workerId);
            if (a == null) {
                return false;
            }
            a.status = OwnerAlert.Status.SENT;
            a.sentAt = now;
            a.twilioSid = twilioSid;
            a.lastError = null;
            release(a);
            return true;
        }
    }

    @Override
    public boolean retryLater(long id, String workerId, String lastError, Instant nextAttemptAt) {
        synchronized (s.lock) {
            MemoryState.Alert a = held(id, workerId);
            if (a == null) {
                return false;
            }
            a.lastError = MemoryEventOutbox.cut(lastError);
            a.nextAttemptAt = nextAttemptAt;
            release(a);
            return true;
        }
    }

    @Override
    public boolean markFailed(long id, String workerId, String lastError, Instant now) {
        synchronized (s.lock) {
            MemoryState.Alert a = held(id, workerId);
            if (a == null) {
                return false;
            }
            a.status = OwnerAlert.Status.FAILED;
            a.lastError = MemoryEventOutbox.cut(lastError);
            release(a);
            return true;
        }
    }

    @Override
    public List<OwnerAlert> forLead(long leadId) {
        synchronized (s.lock) {
            return s.alerts.values().stream().filter(a -> a.leadId == leadId).map(MemoryState.Alert::view).toList();
        }
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        synchronized (s.lock) {
            return s.alerts.values().stream().filter(a -> a.status == OwnerAlert.Status.PENDING)
                    .map(a -> a.owner != null && a.leaseUntil.isAfter(now) && a.leaseUntil.isAfter(a.nextAttemptAt)
                            ? a.leaseUntil : a.nextAttemptAt)
                    .min(Comparator.naturalOrder());
        }
    }

    private MemoryState.Alert held(long id, String workerId) {
        MemoryState.Alert a = s.alerts.get(id);
        return a != null && a.status == OwnerAlert.Status.PENDING && workerId.equals(a.owner) ? a : null;
    }

    private static void release(MemoryState.Alert a) {
        a.owner = null;
        a.leaseUntil = null;
    }
}
