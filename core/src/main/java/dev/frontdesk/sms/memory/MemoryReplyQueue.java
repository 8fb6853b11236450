package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.AutoReplyCounts;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.OwnerAlert;
import dev.frontdesk.sms.OwnerAlerts;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.RecordedReply;
import dev.frontdesk.sms.ReplyClaim;
import dev.frontdesk.sms.ReplyContext;
import dev.frontdesk.sms.ReplyFindings;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.UsageLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The in-memory store's {@link ReplyQueue}, on the shared {@link MemoryState}. The calls that span parts (a job's
 * context, recording its reply, completing it) use the other parts under the same lock, so each is atomic.
 */
final class MemoryReplyQueue implements ReplyQueue {

    private final MemoryState s;
    private final MessageStore messages;
    private final UsageLedger usage;

    MemoryReplyQueue(MemoryState state, MessageStore messages, UsageLedger usage) {
        this.s = state;
        this.messages = messages;
        this.usage = usage;
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
                    return Optional.of(new ReplyJob(j.id, j.leadId, j.inboundMessageId, j.attempts, workerId, j.leaseUntil, j.createdAt,
                            j.kind));
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
        return giveBack(jobId, workerId, runAt, true);
    }

    @Override
    public boolean postpone(long jobId, String workerId, Instant runAt) {
        return giveBack(jobId, workerId, runAt, false);
    }

    /** Gives a held job back to be claimed at {@code runAt}; a postponed claim does not count as an attempt. */
    private boolean giveBack(long jobId, String workerId, Instant runAt, boolean claimCounts) {
        synchronized (s.lock) {
            MemoryState.Job j = held(jobId, workerId);
            if (j == null) {
                return false;
            }
            j.owner = null;
            j.leaseUntil = null;
            j.runAt = runAt;
            if (!claimCounts) {
                j.attempts--;
            }
            return true;
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

    @Override
    public ReplyClaim claimNext(String workerId, Duration lease, Instant now, int historyLimit, Instant autoRepliesSince) {
        synchronized (s.lock) {
            Optional<ReplyJob> claimed = claim(workerId, lease, now);
            if (claimed.isEmpty()) {
                return ReplyClaim.nothingDue(nextDueAt(now));
            }
            ReplyJob job = claimed.get();
            Message inbound = s.messages.get(job.inboundMessageId());
            // A follow-up waiting is no later text: it must not fold the customer's text into itself.
            boolean later = s.jobs.values().stream().anyMatch(j -> j.leadId == job.leadId() && j.id > job.id() && !j.done
                    && j.kind != ReplyJob.Kind.FOLLOW_UP);
            AutoReplyCounts counts = new AutoReplyCounts(usage.countAutoReplies(job.leadId(), false, autoRepliesSince),
                    usage.countAutoReplies(null, false, autoRepliesSince), usage.countAutoReplies(null, true, autoRepliesSince));
            return ReplyClaim.of(new ReplyContext(job, s.leads.get(job.leadId()), inbound == null ? s.jobs.get(job.id()).calledNumber : inbound.to(),
                    messages.findReplyForJob(job.id()).orElse(null),
                    historyLimit == 0 ? List.of() : messages.history(job.leadId(), historyLimit),
                    usage.autoReplyAiCall(job.id()).orElse(null), messages.firstUnansweredAt(job.leadId()).orElse(null),
                    later, counts));
        }
    }

    @Override
    public RecordedReply recordReply(long jobId, String workerId, Instant leaseUntil, NewOutboundMessage message,
            ReplyFindings findings) {
        requireReplyTo(jobId, message);
        Map<Qualification.Field, String> learned = findings == null ? Map.of() : findings.qualification();
        synchronized (s.lock) {
            MemoryState.Job j = held(jobId, workerId);
            if (j == null) {
                return RecordedReply.leaseLost();
            }
            Lead lead = s.existingLead(message.leadId()); // throws for an unknown lead before anything changes
            if (learned != null && !learned.isEmpty()) {
                Qualification before = lead.qualification();
                lead = s.update(lead.id(), lead.withQualification(before.merge(learned, false)));
                if (!before.fullyQualified() && lead.qualification().fullyQualified()) {
                    s.event(EventType.LEAD_QUALIFIED, lead.id(), null, message.createdAt());
                }
                s.alert(lead.id(), OwnerAlerts.reasons(before, lead.qualification(), learned, false), message.createdAt());
            }
            long leadId = lead.id();
            boolean customerWrote = j.kind == ReplyJob.Kind.FOLLOW_UP && s.messages.values().stream().anyMatch(m ->
                    m.leadId() == leadId && m.direction() == Direction.INBOUND && m.createdAt().isAfter(j.createdAt));
            if (!lead.aiActive(message.createdAt()) || customerWrote) {
                j.done = true;
                j.owner = null;
                return RecordedReply.staffTookOver();
            }
            boolean firstRecord = !s.messageIdByReplyJob.containsKey(jobId);
            Message recorded = messages.recordOutbound(message);
            if (firstRecord && findings != null && findings.handoffRequested()) {
                s.event(EventType.HANDOFF_REQUESTED, lead.id(), null, message.createdAt());
                s.alert(lead.id(), Set.of(OwnerAlert.Reason.HANDOFF), message.createdAt());
            }
            j.leaseUntil = leaseUntil;
            return RecordedReply.recorded(recorded);
        }
    }

    @Override
    public boolean completeSent(long jobId, String workerId, long messageId, SendResult result, AiCall aiCall,
            long answeredThroughMessageId, Instant now, Instant followUpAt) {
        Objects.requireNonNull(result, "result");
        synchronized (s.lock) {
            // throws for a duplicate SID before anything changes; schedules the follow-up also when the lease was lost
            messages.markSent(messageId, result, now, followUpAt);
            if (aiCall != null) {
                usage.recordAiCall(aiCall);
            }
            MemoryState.Job j = held(jobId, workerId);
            if (j == null) {
                return false;
            }
            for (MemoryState.Job other : s.jobs.values()) {
                if (other.leadId == j.leadId && !other.done && other.kind == ReplyJob.Kind.REPLY
                        && other.inboundMessageId <= answeredThroughMessageId) {
                    other.done = true;
                    other.owner = null;
                }
            }
            j.done = true;
            j.owner = null;
            return true;
        }
    }

    static void requireReplyTo(long jobId, NewOutboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (message.replyJobId() == null || message.replyJobId() != jobId) {
            throw new IllegalArgumentException("The reply's replyJobId (" + message.replyJobId() + ") must be job " + jobId + ".");
        }
    }

    private MemoryState.Job held(long jobId, String workerId) {
        MemoryState.Job j = s.jobs.get(jobId);
        return j != null && !j.done && workerId.equals(j.owner) ? j : null;
    }
}
