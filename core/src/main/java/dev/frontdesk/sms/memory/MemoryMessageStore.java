package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.DuplicateTwilioSidException;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.StatusResult;
import dev.frontdesk.sms.StatusUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The in-memory store's {@link MessageStore}, on the shared {@link MemoryState}. */
final class MemoryMessageStore implements MessageStore {

    private final MemoryState s;

    MemoryMessageStore(MemoryState state) {
        this.s = state;
    }

    @Override
    public Message recordOutbound(NewOutboundMessage n) {
        synchronized (s.lock) {
            Lead l = s.existingLead(n.leadId());
            if (n.replyJobId() != null && s.messageIdByReplyJob.containsKey(n.replyJobId())) {
                return s.messages.get(s.messageIdByReplyJob.get(n.replyJobId()));
            }
            Message m = new Message(s.nextMessageId++, n.leadId(), null, Direction.OUTBOUND, n.from(), n.to(), n.body(),
                    n.status(), n.errorCode(), n.numSegments(), List.of(), null, null, n.createdAt());
            s.messages.put(m.id(), m);
            if (n.replyJobId() != null) {
                s.messageIdByReplyJob.put(n.replyJobId(), m.id());
            }
            s.leads.put(l.id(), l.withSms(l.smsEnabled(), l.smsOptOut(), n.createdAt()));
            return m;
        }
    }

    @Override
    public Optional<Message> findReplyForJob(long replyJobId) {
        synchronized (s.lock) {
            Long id = s.messageIdByReplyJob.get(replyJobId);
            return id == null ? Optional.empty() : Optional.of(s.messages.get(id));
        }
    }

    @Override
    public Message markSent(long messageId, SendResult result, Instant sentAt) {
        return markSent(messageId, result, sentAt, null);
    }

    @Override
    public Message markSent(long messageId, SendResult result, Instant sentAt, Instant followUpAt) {
        synchronized (s.lock) {
            Message m = message(messageId);
            Long holder = s.messageIdBySid.get(result.sid());
            if (holder != null && holder != messageId) {
                throw new DuplicateTwilioSidException("Twilio SID " + result.sid() + " is already stored for message " + holder
                        + "; message " + messageId + " was not changed.");
            }
            Message updated = new Message(m.id(), m.leadId(), result.sid(), m.direction(),
                    result.from() != null ? result.from() : m.from(), m.to(), m.body(), result.status(), m.errorCode(),
                    result.numSegments() != null ? result.numSegments() : m.numSegments(), m.media(), sentAt,
                    m.deliveredAt(), m.createdAt());
            s.messages.put(messageId, updated);
            s.messageIdBySid.put(result.sid(), messageId);
            if (m.twilioSid() == null) { // once per message, also when the same answer is recorded again
                s.event(EventType.MESSAGE_SENT, m.leadId(), messageId, sentAt);
            }
            s.scheduleFollowUp(m.leadId(), followUpAt, sentAt);
            return updated;
        }
    }

    @Override
    public Message markFailed(long messageId, MessageStatus status, String errorCode) {
        synchronized (s.lock) {
            Message m = message(messageId);
            Message updated = new Message(m.id(), m.leadId(), m.twilioSid(), m.direction(), m.from(), m.to(), m.body(),
                    status, errorCode, m.numSegments(), m.media(), m.sentAt(), m.deliveredAt(), m.createdAt());
            s.messages.put(messageId, updated);
            return updated;
        }
    }

    @Override
    public StatusResult applyStatus(StatusUpdate update, Instant now) {
        synchronized (s.lock) {
            Long id = s.messageIdBySid.get(update.messageSid());
            if (id == null) {
                return StatusResult.unknownSid();
            }
            Message m = s.messages.get(id);
            if (!m.status().canMoveTo(update.status())) {
                return new StatusResult(Optional.of(m), false);
            }
            Instant deliveredAt = m.deliveredAt() == null && update.status() == MessageStatus.DELIVERED ? now : m.deliveredAt();
            Message updated = new Message(m.id(), m.leadId(), m.twilioSid(), m.direction(), m.from(), m.to(), m.body(),
                    update.status(), update.errorCode() != null ? update.errorCode() : m.errorCode(), m.numSegments(),
                    m.media(), m.sentAt(), deliveredAt, m.createdAt());
            s.messages.put(id, updated);
            if (update.recipientOptedOut()) {
                Lead l = s.existingLead(m.leadId());
                s.update(l.id(), l.withSms(l.smsEnabled(), true, l.lastSmsAt()));
            }
            return new StatusResult(Optional.of(updated), true);
        }
    }

    @Override
    public Optional<Message> findMessage(long messageId) {
        synchronized (s.lock) {
            return Optional.ofNullable(s.messages.get(messageId));
        }
    }

    @Override
    public Optional<Message> findMessageBySid(String twilioSid) {
        synchronized (s.lock) {
            Long id = s.messageIdBySid.get(twilioSid);
            return id == null ? Optional.empty() : Optional.of(s.messages.get(id));
        }
    }

    @Override
    public List<Message> history(long leadId, int limit) {
        synchronized (s.lock) {
            List<Message> all = new ArrayList<>();
            for (Message m : s.messages.values()) {
                if (m.leadId() == leadId) {
                    all.add(m);
                }
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size()));
        }
    }

    @Override
    public Map<Long, Message> lastMessages(Collection<Long> leadIds) {
        synchronized (s.lock) {
            Map<Long, Message> all = s.lastMessages();
            Map<Long, Message> wanted = new HashMap<>();
            for (Long id : leadIds) {
                Message m = all.get(id);
                if (m != null) {
                    wanted.put(id, m);
                }
            }
            return wanted;
        }
    }

    @Override
    public Optional<Instant> firstUnansweredAt(long leadId) {
        synchronized (s.lock) {
            Instant noted = s.autoReplies.stream().filter(a -> a.leadId() == leadId).map(MemoryState.AutoReply::at)
                    .max(Comparator.naturalOrder()).orElse(Instant.MIN);
            long lastOutbound = s.messages.values().stream()
                    .filter(m -> m.leadId() == leadId && m.direction() == Direction.OUTBOUND)
                    .mapToLong(Message::id).max().orElse(0);
            return s.messages.values().stream()
                    .filter(m -> m.leadId() == leadId && m.direction() == Direction.INBOUND)
                    .filter(m -> m.id() > lastOutbound && m.createdAt().isAfter(noted))
                    .min(Comparator.comparingLong(Message::id)).map(Message::createdAt);
        }
    }

    @Override
    public List<OtherSenderMessage> otherSenderMessages(int limit) {
        synchronized (s.lock) {
            List<OtherSenderMessage> all = new ArrayList<>(s.otherSenders.values());
            Collections.reverse(all);
            return List.copyOf(all.subList(0, Math.min(Math.max(limit, 0), all.size())));
        }
    }

    private Message message(long id) {
        Message m = s.messages.get(id);
        if (m == null) {
            throw new IllegalArgumentException("No message has id " + id);
        }
        return m;
    }
}
