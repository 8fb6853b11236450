package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.DuplicateTwilioSidException;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadNotFoundException;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.MediaItem;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.StatusResult;
import dev.frontdesk.sms.StatusUpdate;
import dev.frontdesk.sms.UsageCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link LeadRepository} and {@link ReplyQueue} in memory, for tests and quick starts. Nothing
 * survives the process. Thread-safe: every method holds one lock, which also makes each call atomic
 * the way a transaction is in the JDBC store.
 */
public final class InMemoryLeadRepository implements LeadRepository, ReplyQueue {

    private final Object lock = new Object();
    private final Map<Long, Lead> leads = new LinkedHashMap<>();
    private final Map<String, Long> leadIdByPhone = new HashMap<>();
    private final Map<Long, Message> messages = new LinkedHashMap<>();
    private final Map<String, Long> messageIdBySid = new HashMap<>();
    private final Map<Long, Long> messageIdByReplyJob = new HashMap<>();
    private final Map<Long, Job> jobs = new LinkedHashMap<>();
    private final List<AiCall> aiCalls = new ArrayList<>();
    private final List<AutoReply> autoReplies = new ArrayList<>();
    private final Map<Long, AutoReply> autoReplyByJob = new HashMap<>();
    private final Map<String, OtherSenderMessage> otherSenders = new LinkedHashMap<>();
    private long nextOtherSenderId = 1;
    private long nextLeadId = 1;
    private long nextMessageId = 1;
    private long nextJobId = 1;

    private record AutoReply(long replyJobId, long leadId, boolean aiCall, Instant at) {
    }

    /** Mutable job state, guarded by {@link #lock}. */
    private static final class Job {
        final long id;
        final long leadId;
        final long inboundMessageId;
        final Instant createdAt;
        int attempts;
        String owner;
        Instant leaseUntil;
        Instant runAt;
        boolean done;

        Job(long id, long leadId, long inboundMessageId, Instant createdAt) {
            this.id = id;
            this.leadId = leadId;
            this.inboundMessageId = inboundMessageId;
            this.createdAt = createdAt;
            this.runAt = createdAt;
        }
    }

    @Override
    public InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now) {
        synchronized (lock) {
            Long existing = messageIdBySid.get(sms.messageSid());
            if (existing != null) {
                Message m = messages.get(existing);
                return new InboundResult(leads.get(m.leadId()), m, true, null);
            }
            Lead lead = findOrCreateLead(sms.from(), Lead.SOURCE_SMS, now);
            boolean optOut = keyword.optOutAfter(lead.smsOptOut());
            lead = lead.withSms(true, optOut, now);
            leads.put(lead.id(), lead);
            List<String> media = sms.media().stream().map(MediaItem::url).toList();
            Message m = new Message(nextMessageId++, lead.id(), sms.messageSid(), Direction.INBOUND, sms.from().value(),
                    sms.to(), sms.body(), MessageStatus.RECEIVED, null, sms.numSegments(), media, null, null, now);
            messages.put(m.id(), m);
            messageIdBySid.put(sms.messageSid(), m.id());
            Long jobId = null;
            if (keyword.wantsAiReply(optOut)) {
                Job job = new Job(nextJobId++, lead.id(), m.id(), now);
                jobs.put(job.id, job);
                jobId = job.id;
            }
            return new InboundResult(lead, m, false, jobId);
        }
    }

    @Override
    public Lead findOrCreateLead(PhoneNumber phone, String source, Instant now) {
        synchronized (lock) {
            Long id = leadIdByPhone.get(phone.value());
            if (id != null) {
                return leads.get(id);
            }
            Lead lead = new Lead(nextLeadId++, phone, null, source, false, false, null, now);
            leads.put(lead.id(), lead);
            leadIdByPhone.put(phone.value(), lead.id());
            return lead;
        }
    }

    @Override
    public Optional<Lead> findLead(long leadId) {
        synchronized (lock) {
            return Optional.ofNullable(leads.get(leadId));
        }
    }

    @Override
    public Optional<Lead> findLeadByPhone(PhoneNumber phone) {
        synchronized (lock) {
            Long id = leadIdByPhone.get(phone.value());
            return id == null ? Optional.empty() : Optional.of(leads.get(id));
        }
    }

    @Override
    public List<Lead> listLeads(int limit) {
        synchronized (lock) {
            return leads.values().stream()
                    .sorted(Comparator.comparing((Lead l) -> l.lastSmsAt() != null ? l.lastSmsAt() : l.createdAt())
                            .thenComparingLong(Lead::id).reversed())
                    .limit(Math.max(0, limit))
                    .toList();
        }
    }

    @Override
    public Lead setOptOut(long leadId, boolean optedOut, Instant now) {
        synchronized (lock) {
            Lead l = leads.get(leadId);
            if (l == null) {
                throw new LeadNotFoundException("No lead has id " + leadId + ".");
            }
            Lead updated = l.withSms(l.smsEnabled(), optedOut, l.lastSmsAt());
            leads.put(leadId, updated);
            return updated;
        }
    }

    @Override
    public Lead setAi(long leadId, boolean enabled, Instant pausedUntil) {
        synchronized (lock) {
            return update(leadId, existingLead(leadId).withAi(enabled, pausedUntil));
        }
    }

    @Override
    public Lead pauseAiUntil(long leadId, Instant until) {
        synchronized (lock) {
            Lead l = existingLead(leadId);
            if (!l.aiEnabled() && (l.aiPausedUntil() == null || !l.aiPausedUntil().isBefore(until))) {
                return l;
            }
            return update(leadId, l.withAi(false, until));
        }
    }

    @Override
    public Lead updateQualification(long leadId, Map<Qualification.Field, String> values, boolean byStaff) {
        synchronized (lock) {
            Lead l = existingLead(leadId);
            return update(leadId, l.withQualification(l.qualification().merge(values, byStaff)));
        }
    }

    @Override
    public Lead markAfterHoursNotice(long leadId, Instant at) {
        synchronized (lock) {
            return update(leadId, existingLead(leadId).withAfterHoursNoticeAt(at));
        }
    }

    @Override
    public void recordAiCall(AiCall call) {
        synchronized (lock) {
            aiCalls.add(call);
        }
    }

    @Override
    public UsageCounts usage(Instant from, Instant to) {
        synchronized (lock) {
            long in = 0, out = 0, inSeg = 0, outSeg = 0, calls = 0, prompt = 0, completion = 0;
            for (Message m : messages.values()) {
                if (m.createdAt().isBefore(from) || !m.createdAt().isBefore(to)) {
                    continue;
                }
                int segments = m.numSegments() == null ? 1 : m.numSegments();
                if (m.direction() == Direction.INBOUND) {
                    in++;
                    inSeg += segments;
                } else if (m.twilioSid() != null) {
                    out++;
                    outSeg += segments;
                }
            }
            for (AiCall c : aiCalls) {
                if (!c.createdAt().isBefore(from) && c.createdAt().isBefore(to)) {
                    calls++;
                    prompt += c.promptTokens();
                    completion += c.completionTokens();
                }
            }
            return new UsageCounts(in, out, inSeg, outSeg, calls, prompt, completion);
        }
    }

    private Lead existingLead(long leadId) {
        Lead l = leads.get(leadId);
        if (l == null) {
            throw new LeadNotFoundException("No lead has id " + leadId + ".");
        }
        return l;
    }

    private Lead update(long leadId, Lead updated) {
        leads.put(leadId, updated);
        return updated;
    }

    @Override
    public Message recordOutbound(NewOutboundMessage n) {
        synchronized (lock) {
            Lead l = leads.get(n.leadId());
            if (l == null) {
                throw new LeadNotFoundException("No lead has id " + n.leadId() + ".");
            }
            if (n.replyJobId() != null && messageIdByReplyJob.containsKey(n.replyJobId())) {
                return messages.get(messageIdByReplyJob.get(n.replyJobId()));
            }
            Message m = new Message(nextMessageId++, n.leadId(), null, Direction.OUTBOUND, n.from(), n.to(), n.body(),
                    n.status(), n.errorCode(), n.numSegments(), List.of(), null, null, n.createdAt());
            messages.put(m.id(), m);
            if (n.replyJobId() != null) {
                messageIdByReplyJob.put(n.replyJobId(), m.id());
            }
            leads.put(l.id(), l.withSms(l.smsEnabled(), l.smsOptOut(), n.createdAt()));
            return m;
        }
    }

    @Override
    public Optional<Message> findReplyForJob(long replyJobId) {
        synchronized (lock) {
            Long id = messageIdByReplyJob.get(replyJobId);
            return id == null ? Optional.empty() : Optional.of(messages.get(id));
        }
    }

    @Override
    public Message markSent(long messageId, SendResult result, Instant sentAt) {
        synchronized (lock) {
            Message m = message(messageId);
            Long holder = messageIdBySid.get(result.sid());
            if (holder != null && holder != messageId) {
                throw new DuplicateTwilioSidException("Twilio SID " + result.sid() + " is already stored for message " + holder
                        + "; message " + messageId + " was not changed.");
            }
            Message updated = new Message(m.id(), m.leadId(), result.sid(), m.direction(),
                    result.from() != null ? result.from() : m.from(), m.to(), m.body(), result.status(), m.errorCode(),
                    result.numSegments() != null ? result.numSegments() : m.numSegments(), m.media(), sentAt,
                    m.deliveredAt(), m.createdAt());
            messages.put(messageId, updated);
            messageIdBySid.put(result.sid(), messageId);
            return updated;
        }
    }

    @Override
    public Message markFailed(long messageId, MessageStatus status, String errorCode) {
        synchronized (lock) {
            Message m = message(messageId);
            Message updated = new Message(m.id(), m.leadId(), m.twilioSid(), m.direction(), m.from(), m.to(), m.body(),
                    status, errorCode, m.numSegments(), m.media(), m.sentAt(), m.deliveredAt(), m.createdAt());
            messages.put(messageId, updated);
            return updated;
        }
    }

    @Override
    public StatusResult applyStatus(StatusUpdate update, Instant now) {
        synchronized (lock) {
            Long id = messageIdBySid.get(update.messageSid());
            if (id == null) {
                return StatusResult.unknownSid();
            }
            Message m = messages.get(id);
            if (!m.status().canMoveTo(update.status())) {
                return new StatusResult(Optional.of(m), false);
            }
            Instant deliveredAt = m.deliveredAt() == null && update.status() == MessageStatus.DELIVERED ? now : m.deliveredAt();
            Message updated = new Message(m.id(), m.leadId(), m.twilioSid(), m.direction(), m.from(), m.to(), m.body(),
                    update.status(), update.errorCode() != null ? update.errorCode() : m.errorCode(), m.numSegments(),
                    m.media(), m.sentAt(), deliveredAt, m.createdAt());
            messages.put(id, updated);
            if (update.recipientOptedOut()) {
                setOptOut(m.leadId(), true, now);
            }
            return new StatusResult(Optional.of(updated), true);
        }
    }

    @Override
    public Optional<Message> findMessage(long messageId) {
        synchronized (lock) {
            return Optional.ofNullable(messages.get(messageId));
        }
    }

    @Override
    public boolean recordOtherSender(OtherSenderMessage message, Instant now) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(now, "now");
        synchronized (lock) {
            if (otherSenders.containsKey(message.twilioSid())) {
                return false;
            }
            otherSenders.put(message.twilioSid(), new OtherSenderMessage(nextOtherSenderId++, message.twilioSid(), message.sender(),
                    message.to(), message.body(), message.numMedia(), message.leadId(), now.truncatedTo(ChronoUnit.MICROS)));
            return true;
        }
    }

    @Override
    public List<OtherSenderMessage> otherSenderMessages(int limit) {
        synchronized (lock) {
            List<OtherSenderMessage> all = new ArrayList<>(otherSenders.values());
            Collections.reverse(all);
            return List.copyOf(all.subList(0, Math.min(Math.max(limit, 0), all.size())));
        }
    }

    @Override
    public Optional<Message> findMessageBySid(String twilioSid) {
        synchronized (lock) {
            Long id = messageIdBySid.get(twilioSid);
            return id == null ? Optional.empty() : Optional.of(messages.get(id));
        }
    }

    @Override
    public List<Message> history(long leadId, int limit) {
        synchronized (lock) {
            List<Message> all = new ArrayList<>();
            for (Message m : messages.values()) {
                if (m.leadId() == leadId) {
                    all.add(m);
                }
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size()));
        }
    }

    @Override
    public boolean recordAutoReply(long replyJobId, long leadId, boolean aiCall, Instant at) {
        synchronized (lock) {
            if (autoReplyByJob.containsKey(replyJobId)) {
                return false;
            }
            AutoReply note = new AutoReply(replyJobId, leadId, aiCall, at);
            autoReplies.add(note);
            autoReplyByJob.put(replyJobId, note);
            return true;
        }
    }

    @Override
    public Optional<Boolean> autoReplyAiCall(long replyJobId) {
        synchronized (lock) {
            return Optional.ofNullable(autoReplyByJob.get(replyJobId)).map(AutoReply::aiCall);
        }
    }

    @Override
    public long countAutoReplies(Long leadId, boolean aiCallsOnly, Instant since) {
        synchronized (lock) {
            return autoReplies.stream()
                    .filter(a -> leadId == null || a.leadId() == leadId)
                    .filter(a -> !aiCallsOnly || a.aiCall())
                    .filter(a -> !a.at().isBefore(since))
                    .count();
        }
    }

    @Override
    public Optional<Instant> firstUnansweredAt(long leadId) {
        synchronized (lock) {
            Instant noted = autoReplies.stream().filter(a -> a.leadId() == leadId).map(AutoReply::at)
                    .max(Comparator.naturalOrder()).orElse(Instant.MIN);
            long lastOutbound = messages.values().stream()
                    .filter(m -> m.leadId() == leadId && m.direction() == Direction.OUTBOUND)
                    .mapToLong(Message::id).max().orElse(0);
            return messages.values().stream()
                    .filter(m -> m.leadId() == leadId && m.direction() == Direction.INBOUND)
                    .filter(m -> m.id() > lastOutbound && m.createdAt().isAfter(noted))
                    .map(Message::createdAt).min(Comparator.naturalOrder());
        }
    }

    @Override
    public long countStaffMessages(Instant since) {
        synchronized (lock) {
            var automatic = new java.util.HashSet<>(messageIdByReplyJob.values());
            return messages.values().stream()
                    .filter(m -> m.direction() == Direction.OUTBOUND && !automatic.contains(m.id()))
                    .filter(m -> !m.createdAt().isBefore(since))
                    .count();
        }
    }

    @Override
    public ReplyQueue replyQueue() {
        return this;
    }

    @Override
    public void checkAvailable() {
        // Memory is always there.
    }

    private Message message(long id) {
        Message m = messages.get(id);
        if (m == null) {
            throw new IllegalArgumentException("No message has id " + id);
        }
        return m;
    }

    // ---------------------------------------------------------------- ReplyQueue

    @Override
    public Optional<ReplyJob> claim(String workerId, Duration lease, Instant now) {
        synchronized (lock) {
            for (Job j : jobs.values()) {
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
        synchronized (lock) {
            Job j = held(jobId, workerId);
            if (j == null) {
                return false;
            }
            j.leaseUntil = leaseUntil;
            return true;
        }
    }

    @Override
    public boolean complete(long jobId, String workerId, Instant now) {
        synchronized (lock) {
            Job j = held(jobId, workerId);
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
        synchronized (lock) {
            Job j = held(jobId, workerId);
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
        synchronized (lock) {
            Job j = held(jobId, workerId);
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
        synchronized (lock) {
            return jobs.values().stream().anyMatch(j -> j.leadId == leadId && j.id > jobId && !j.done);
        }
    }

    @Override
    public long pendingCount() {
        synchronized (lock) {
            return jobs.values().stream().filter(j -> !j.done).count();
        }
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        synchronized (lock) {
            return jobs.values().stream().filter(j -> !j.done)
                    .map(j -> j.owner != null && j.leaseUntil.isAfter(now) ? j.leaseUntil : j.runAt)
                    .min(Comparator.naturalOrder());
        }
    }

    private Job held(long jobId, String workerId) {
        Job j = jobs.get(jobId);
        return j != null && !j.done && workerId.equals(j.owner) ? j : null;
    }
}
