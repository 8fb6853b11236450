package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/** The in-memory store's {@link ReplyQueue}, on the shared {@link MemoryState}. */
final class MemoryReplyQueue implements ReplyQueue {

    private final MemoryState s;

    MemoryReplyQueue(MemoryState state) {
        this.s = state;
    }

    @Override
    public Optional<ReplyJob> claim(String workerId, Duration lease, Instant now) {
        synchronized (s.lock) {
            for (MemoryState.Job j : s.jobs.values()) {
                boolean free = j.owner == null || !j.leaseUntil.isAfter(now);
                if (!j.done && free && !j.runAt.isAfter(now)) {
                    j.owner = workerId;
                    j.leaseUntil = now.plus(lease);
                    j.attempts++;
                    return Optional.of(new ReplyJob(j.id, j.leadId, j.inboundMessageId, j.attempts, workerId, j.leaseUntil, j.createdAt));
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public boolean extendLease(long jobId, String workerId, Instant leaseUntil) {
        synchronized (s.lock) {
            MemoryState.Job j = held(jobId, workerId);
            if (j == null) {
                return false;
            }
            j.leaseUntil = leaseUntil;
            return true;
        }
    }

    @Override
    public boolean complete(long jobId, String workerId, Instant now) {
        synchronized (s.lock) {
            MemoryState.Job j = held(jobId, workerId);
            if (j == null) {
                return false;
            }
            j.done = true;
            j.owner = null;
            return true;
        }
    }

    @Override
    public boolean retryLater(long jobId, String workerId, String lastError, Instant runAt) {
        synchronized (s.lock) {
            MemoryState.Job j = held(jobId, workerId);
            if (j == null) {
                return false;
            }
            j.owner = null;
            j.leaseUntil = null;
            j.runAt = runAt;
            return true;
        }
    }

    @Override
    public boolean postpone(long jobId, String workerId, Instant runAt) {
        synchronized (s.lock) {
            MemoryState.Job j = held(jobId, workerId);
            if (j == null) {
                return false;
            }
            j.owner = null;
            j.leaseUntil = null;
            j.runAt = runAt;
            j.attempts--;
            return true;
        }
    }

    @Override
    public boolean laterJobPending(long jobId, long leadId) {
        synchronized (s.lock) {
            return s.jobs.values().stream().anyMatch(j -> j.leadId == leadId && j.id > jobId && !j.done);
        }
    }

    @Override
    public long pendingCount() {
        synchronized (s.lock) {
            return s.jobs.values().stream().filter(j -> !j.done).count();
        }
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        synchronized (s.lock) {
            return s.jobs.values().stream().filter(j -> !j.done)
                    .map(j -> j.owner != null && j.leaseUntil.isAfter(now) ? j.leaseUntil : j.runAt)
                    .min(Comparator.naturalOrder());
        }
    }

    private MemoryState.Job held(long jobId, String workerId) {
        MemoryState.Job j = s.jobs.get(jobId);
        return j != null && !j.done && workerId.equals(j.owner) ? j : null;
    }
}
