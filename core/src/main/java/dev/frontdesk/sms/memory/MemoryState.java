package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadNotFoundException;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.OutboxEvent;
import dev.frontdesk.sms.OwnerAlert;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the in-memory store holds, shared by its parts. Every field is guarded by {@link #lock}; each
 * method of a part holds it for the whole call, which makes the call atomic the way a transaction is in the
 * JDBC store, also when it spans parts (an inbound text touches the lead, the message and the queue).
 */
final class MemoryState {

    final Object lock = new Object();
    final Map<Long, Lead> leads = new LinkedHashMap<>();
    final Map<String, Long> leadIdByPhone = new HashMap<>();
    final Map<Long, Message> messages = new LinkedHashMap<>();
    final Map<String, Long> messageIdBySid = new HashMap<>();
    final Map<Long, Long> messageIdByReplyJob = new HashMap<>();
    final Map<Long, Job> jobs = new LinkedHashMap<>();
    final List<AiCall> aiCalls = new ArrayList<>();
    final List<AutoReply> autoReplies = new ArrayList<>();
    final Map<Long, AutoReply> autoReplyByJob = new HashMap<>();
    final Map<String, OtherSenderMessage> otherSenders = new LinkedHashMap<>();
    long nextOtherSenderId = 1;
    long nextLeadId = 1;
    long nextMessageId = 1;
    long nextJobId = 1;
    /** The event outbox, filled only once {@link #eventsEnabled}. */
    final Map<Long, Event> events = new LinkedHashMap<>();
    boolean eventsEnabled;
    long nextEventId = 1;

    /** The owner alerts, recorded only once {@link #alertsEnabled}; at most one per lead and reason. */
    final Map<Long, Alert> alerts = new LinkedHashMap<>();
    boolean alertsEnabled;
    long nextAlertId = 1;

    /** A note of {@code UsageLedger.recordAutoReply}. */
    record AutoReply(long replyJobId, long leadId, boolean aiCall, Instant at) {
    }

    /** Mutable outbox row, guarded by {@link #lock}. */
    static final class Event {
        final long id;
        final String eventId = OutboxEvent.newEventId();
        final EventType type;
        final long leadId;
        final Long messageId;
        final Instant createdAt;
        int attempts;
        Instant nextAttemptAt;
        Instant deliveredAt;
        String lastError;
        String owner;
        Instant leaseUntil;
        OutboxEvent.Status status = OutboxEvent.Status.PENDING;

        Event(long id, EventType type, long leadId, Long messageId, Instant createdAt) {
            this.id = id;
            this.type = type;
            this.leadId = leadId;
            this.messageId = messageId;
            this.createdAt = createdAt;
            this.nextAttemptAt = createdAt;
        }

        OutboxEvent view() {
            return new OutboxEvent(id, eventId, type, leadId, messageId, createdAt, attempts,
                    status == OutboxEvent.Status.PENDING ? nextAttemptAt : null, deliveredAt, lastError, status);
        }
    }

    /** Records an event in the caller's "transaction" when the outbox is enabled. Call holding {@link #lock}. */
    void event(EventType type, long leadId, Long messageId, Instant now) {
        if (eventsEnabled) {
            addEvent(type, leadId, messageId, now);
        }
    }

    /** Call holding {@link #lock}. */
    Event addEvent(EventType type, long leadId, Long messageId, Instant now) {
        Event e = new Event(nextEventId++, type, leadId, messageId, now);
        events.put(e.id, e);
        return e;
    }

    /** Mutable owner alert row, guarded by {@link #lock}. */
    static final class Alert {
        final long id;
        final long leadId;
        final OwnerAlert.Reason reason;
        final Long messageId;
        final Instant createdAt;
        int attempts;
        Instant nextAttemptAt;
        Instant sentAt;
        String twilioSid;
        String lastError;
        String owner;
        Instant leaseUntil;
        OwnerAlert.Status status = OwnerAlert.Status.PENDING;

        Alert(long id, long leadId, OwnerAlert.Reason reason, Long messageId, Instant createdAt) {
            this.id = id;
            this.leadId = leadId;
            this.reason = reason;
            this.messageId = messageId;
            this.createdAt = createdAt;
            this.nextAttemptAt = createdAt;
        }

        OwnerAlert view() {
            return new OwnerAlert(id, leadId, reason, messageId, createdAt, status, attempts,
                    status == OwnerAlert.Status.PENDING ? nextAttemptAt : null, sentAt, twilioSid, lastError);
        }
    }

    /**
     * Records an owner alert for each of {@code reasons} the lead has none for yet, quoting its latest inbound message,
     * when alerts are enabled. Call holding {@link #lock}.
     */
    void alert(long leadId, Set<OwnerAlert.Reason> reasons, Instant now) {
        if (!alertsEnabled || reasons.isEmpty()) {
            return;
        }
        Long quoted = null;
        for (Message m : messages.values()) {
            if (m.leadId() == leadId && m.direction() == Direction.INBOUND && (quoted == null || m.id() > quoted)) {
                quoted = m.id();
            }
        }
        for (OwnerAlert.Reason reason : reasons) {
            if (alerts.values().stream().noneMatch(a -> a.leadId == leadId && a.reason == reason)) {
                Alert a = new Alert(nextAlertId++, leadId, reason, quoted, now);
                alerts.put(a.id, a);
            }
        }
    }

    /** Mutable job state, guarded by {@link #lock}. */
    static final class Job {
        final long id;
        final long leadId;
        final long inboundMessageId;
        final Instant createdAt;
        final ReplyJob.Kind kind;
        final String callSid;
        /** The business number a missed call was made to (its text goes out from it), else null. */
        String calledNumber;
        int attempts;
        String owner;
        Instant leaseUntil;
        Instant runAt;
        boolean done;

        Job(long id, long leadId, long inboundMessageId, Instant createdAt) {
            this(id, leadId, inboundMessageId, createdAt, ReplyJob.Kind.REPLY, null);
        }

        Job(long id, long leadId, long inboundMessageId, Instant createdAt, ReplyJob.Kind kind, String callSid) {
            this.kind = kind;
            this.callSid = callSid;
            this.id = id;
            this.leadId = leadId;
            this.inboundMessageId = inboundMessageId;
            this.createdAt = createdAt;
            this.runAt = createdAt;
        }
    }

    /**
     * Schedules the lead's follow-up due at {@code runAt}, replacing the one not yet claimed; nothing when
     * {@code runAt} is null or the customer's text is the lead's last message. Call under {@link #lock}.
     */
    void scheduleFollowUp(long leadId, Instant runAt, Instant now) {
        Message last = lastMessage(leadId);
        if (runAt == null || (last != null && last.direction() == Direction.INBOUND)) {
            return;
        }
        cancelFollowUps(leadId, now);
        Job job = new Job(nextJobId++, leadId, 0, now, ReplyJob.Kind.FOLLOW_UP, null);
        job.runAt = runAt;
        jobs.put(job.id, job);
    }

    /** {@link #lastMessages()} of one lead: its latest message (highest id), or null. Call under {@link #lock}. */
    private Message lastMessage(long leadId) {
        Message last = null;
        for (Message m : messages.values()) {
            if (m.leadId() == leadId && (last == null || m.id() > last.id())) {
                last = m;
            }
        }
        return last;
    }

    /** Cancels the lead's follow-up not yet claimed (a claimed one checks again before it texts). Call under {@link #lock}. */
    void cancelFollowUps(long leadId, Instant now) {
        for (Job j : jobs.values()) {
            if (j.leadId == leadId && j.kind == ReplyJob.Kind.FOLLOW_UP && !j.done
                    && (j.owner == null || !j.leaseUntil.isAfter(now))) {
                j.done = true;
                j.owner = null;
            }
        }
    }

    /** The key of {@link #leadIdByPhone}: one lead per channel and number. */
    static String key(Channel channel, PhoneNumber phone) {
        return channel.address(phone);
    }

    /** The lead with this number on {@code channel}, created with {@code source} if there is none. Call holding {@link #lock}. */
    Lead findOrCreateLead(PhoneNumber phone, Channel channel, String source, Instant now) {
        Long id = leadIdByPhone.get(key(channel, phone));
        if (id != null) {
            return leads.get(id);
        }
        Lead lead = new Lead(nextLeadId++, phone, null, source, false, false, null, now).withChannel(channel);
        leads.put(lead.id(), lead);
        leadIdByPhone.put(key(channel, phone), lead.id());
        event(EventType.LEAD_CREATED, lead.id(), null, now);
        return lead;
    }

    /** Call holding {@link #lock}. @throws LeadNotFoundException for an unknown id */
    Lead existingLead(long leadId) {
        Lead l = leads.get(leadId);
        if (l == null) {
            throw new LeadNotFoundException("No lead has id " + leadId + ".");
        }
        return l;
    }

    /** The latest message (highest id) of each lead that has one. Call holding {@link #lock}. */
    Map<Long, Message> lastMessages() {
        Map<Long, Message> last = new HashMap<>();
        for (Message m : messages.values()) {
            last.merge(m.leadId(), m, (a, b) -> a.id() > b.id() ? a : b);
        }
        return last;
    }

    /** Call holding {@link #lock}. */
    Lead update(long leadId, Lead updated) {
        leads.put(leadId, updated);
        return updated;
    }
}
