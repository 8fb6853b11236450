package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.MissedCallResult;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.ReplyContext;
import dev.frontdesk.sms.ReplyFindings;
import dev.frontdesk.sms.RecordedReply;
import dev.frontdesk.sms.ReplyClaim;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.StatusResult;
import dev.frontdesk.sms.StatusUpdate;
import dev.frontdesk.sms.StoreChange;
import dev.frontdesk.sms.UsageLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The store as the front desk sees it: every call goes to the host's store unchanged, and each write that
 * changed a lead or a message is published on the {@link ChangeFeed} once the store call returned (so after its
 * commit). The front desk's working parts all reach the store through this, so a new feature's writes are
 * changes without code of its own, and the stores need not know about the feed. Read-only calls and the usage
 * ledger pass through untouched. Thread-safe when the store is.
 *
 * <p>Every method of the four interfaces is overridden, defaults included ({@code ChangeTrackingTest} checks it),
 * so a store's own implementation of a default method is never bypassed.
 */
public final class ChangeTracking implements LeadRepository {
    private final LeadRepository store;
    private final ChangeFeed feed;
    private final Leads leads;
    private final Messages messages;
    private final Queue queue;

    public ChangeTracking(LeadRepository store, ChangeFeed feed) {
        this.store = store;
        this.feed = feed;
        this.leads = new Leads(store.leads());
        this.messages = new Messages(store.messages());
        this.queue = new Queue(store.replyQueue());
    }

    private Lead changed(Lead lead) {
        feed.publish(StoreChange.lead(lead.id()));
        return lead;
    }

    private Message changed(Message message) {
        feed.publish(StoreChange.message(message.leadId(), message.id()));
        return message;
    }

    @Override
    public MissedCallResult recordMissedCall(PhoneNumber caller, String calledNumber, String callSid, Instant now) {
        MissedCallResult result = store.recordMissedCall(caller, calledNumber, callSid, now);
        if (!result.duplicate()) {
            changed(result.lead());
        }
        return result;
    }

    @Override
    public InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now, Duration replyDelay) {
        InboundResult result = store.recordInbound(sms, keyword, now, replyDelay);
        if (!result.duplicate()) {
            changed(result.message());
        }
        return result;
    }

    @Override
    public InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now) {
        return recordInbound(sms, keyword, now, Duration.ZERO);
    }

    @Override
    public boolean recordOtherSender(OtherSenderMessage message, Instant now) {
        return store.recordOtherSender(message, now); // no lead's conversation changes
    }

    @Override
    public void checkAvailable() {
        store.checkAvailable();
    }

    @Override
    public LeadStore leads() {
        return leads;
    }

    @Override
    public MessageStore messages() {
        return messages;
    }

    @Override
    public UsageLedger usage() {
        return store.usage();
    }

    @Override
    public ReplyQueue replyQueue() {
        return queue;
    }

    /** The store's own: other processes' changes, which this front desk did not make and so has not published. */
    @Override
    public Optional<AutoCloseable> onOtherChanges(Consumer<StoreChange> listener) {
        return store.onOtherChanges(listener);
    }

    /** The store's own: the outbox's writes change no lead or message. */
    @Override
    public dev.frontdesk.sms.EventOutbox events() {
        return store.events();
    }

    /** The store's own: an alert's writes change no lead or message (the change that recorded it was published). */
    @Override
    public dev.frontdesk.sms.OwnerAlerts ownerAlerts() {
        return store.ownerAlerts();
    }

    private final class Leads implements LeadStore {
        private final LeadStore d;

        Leads(LeadStore d) {
            this.d = d;
        }

        @Override
        public Lead findOrCreateLead(PhoneNumber phone, String source, Instant now) {
            return d.findOrCreateLead(phone, source, now); // a new lead shows with its first message, which is a change
        }

        @Override
        public Optional<Lead> findLead(long leadId) {
            return d.findLead(leadId);
        }

        @Override
        public Optional<Lead> findLeadByPhone(PhoneNumber phone) {
            return d.findLeadByPhone(phone);
        }

        @Override
        public Optional<Lead> findLeadByPhone(PhoneNumber phone, Channel channel) {
            return d.findLeadByPhone(phone, channel);
        }

        @Override
        public List<Lead> listLeads(int limit) {
            return d.listLeads(limit);
        }

        @Override
        public List<Lead> listLeads(dev.frontdesk.sms.LeadQuery query) {
            return d.listLeads(query);
        }

        @Override
        public Lead setOptOut(long leadId, boolean optedOut, Instant now) {
            return changed(d.setOptOut(leadId, optedOut, now));
        }

        @Override
        public Lead setAi(long leadId, boolean enabled, Instant pausedUntil) {
            return changed(d.setAi(leadId, enabled, pausedUntil));
        }

        @Override
        public Lead pauseAiUntil(long leadId, Instant until) {
            return changed(d.pauseAiUntil(leadId, until));
        }

        @Override
        public Lead updateQualification(long leadId, Map<Qualification.Field, String> values, boolean byStaff, Instant now) {
            return changed(d.updateQualification(leadId, values, byStaff, now));
        }

        @Override
        public Lead markAfterHoursNotice(long leadId, Instant at) {
            return changed(d.markAfterHoursNotice(leadId, at));
        }

        @Override
        public Optional<Instant> lastMissedCallAt(long leadId) {
            return d.lastMissedCallAt(leadId);
        }
    }

    private final class Messages implements MessageStore {
        private final MessageStore d;

        Messages(MessageStore d) {
            this.d = d;
        }

        @Override
        public Message recordOutbound(NewOutboundMessage message) {
            return changed(d.recordOutbound(message));
        }

        @Override
        public Optional<Message> findReplyForJob(long replyJobId) {
            return d.findReplyForJob(replyJobId);
        }

        @Override
        public Message markSent(long messageId, SendResult result, Instant sentAt) {
            return changed(d.markSent(messageId, result, sentAt));
        }

        @Override
        public Message markSent(long messageId, SendResult result, Instant sentAt, Instant followUpAt) {
            return changed(d.markSent(messageId, result, sentAt, followUpAt));
        }

        @Override
        public Message markFailed(long messageId, MessageStatus status, String errorCode) {
            return changed(d.markFailed(messageId, status, errorCode));
        }

        @Override
        public StatusResult applyStatus(StatusUpdate update, Instant now) {
            StatusResult result = d.applyStatus(update, now);
            if (result.applied()) {
                result.message().ifPresent(ChangeTracking.this::changed);
            }
            return result;
        }

        @Override
        public Optional<Message> findMessage(long messageId) {
            return d.findMessage(messageId);
        }

        @Override
        public Optional<Message> findMessageBySid(String twilioSid) {
            return d.findMessageBySid(twilioSid);
        }

        @Override
        public List<Message> history(long leadId, int limit) {
            return d.history(leadId, limit);
        }

        @Override
        public Optional<Instant> firstUnansweredAt(long leadId) {
            return d.firstUnansweredAt(leadId);
        }

        @Override
        public Map<Long, Message> lastMessages(java.util.Collection<Long> leadIds) {
            return d.lastMessages(leadIds);
        }

        @Override
        public List<OtherSenderMessage> otherSenderMessages(int limit) {
            return d.otherSenderMessages(limit);
        }
    }

    private final class Queue implements ReplyQueue {
        /** Replies recorded here and not yet marked sent: message id to lead id, so completeSent can name the lead. */
        private static final int MAX_IN_FLIGHT = 10_000;
        private final Map<Long, Long> inFlight = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > MAX_IN_FLIGHT; // replies whose send never completed here (lease lost, crash)
            }
        });
        private final ReplyQueue d;

        Queue(ReplyQueue d) {
            this.d = d;
        }

        @Override
        public Optional<ReplyJob> claim(String workerId, Duration lease, Instant now) {
            return d.claim(workerId, lease, now);
        }

        @Override
        public boolean extendLease(long jobId, String workerId, Instant leaseUntil) {
            return d.extendLease(jobId, workerId, leaseUntil);
        }

        @Override
        public boolean complete(long jobId, String workerId, Instant now) {
            return d.complete(jobId, workerId, now);
        }

        @Override
        public boolean retryLater(long jobId, String workerId, String lastError, Instant runAt) {
            return d.retryLater(jobId, workerId, lastError, runAt);
        }

        @Override
        public boolean postpone(long jobId, String workerId, Instant runAt) {
            return d.postpone(jobId, workerId, runAt);
        }

        @Override
        public long pendingCount() {
            return d.pendingCount();
        }

        @Override
        public Optional<Instant> nextDueAt(Instant now) {
            return d.nextDueAt(now);
        }

        @Override
        public Optional<AutoCloseable> onJobReady(Consumer<Instant> wake) {
            return d.onJobReady(wake);
        }

        @Override
        public ReplyClaim claimNext(String workerId, Duration lease, Instant now, int historyLimit, Instant autoRepliesSince) {
            return d.claimNext(workerId, lease, now, historyLimit, autoRepliesSince);
        }

        @Override
        public RecordedReply recordReply(long jobId, String workerId, Instant leaseUntil, NewOutboundMessage message,
                Map<Qualification.Field, String> learned) {
            return recordReply(jobId, workerId, leaseUntil, message, ReplyFindings.of(learned));
        }

        @Override
        public RecordedReply recordReply(long jobId, String workerId, Instant leaseUntil, NewOutboundMessage message,
                ReplyFindings findings) {
            RecordedReply recorded = d.recordReply(jobId, workerId, leaseUntil, message, findings);
            Map<Qualification.Field, String> learned = findings == null ? Map.of() : findings.qualification();
            recorded.findMessage().ifPresent(m -> {
                inFlight.put(m.id(), m.leadId());
                changed(m);
            });
            if (recorded.takenOver() || (learned != null && !learned.isEmpty())) {
                feed.publish(StoreChange.lead(message.leadId()));
            }
            return recorded;
        }

        @Override
        public boolean completeSent(long jobId, String workerId, long messageId, SendResult result, AiCall aiCall,
                long answeredThroughMessageId, Instant now) {
            return sent(jobId, messageId, d.completeSent(jobId, workerId, messageId, result, aiCall, answeredThroughMessageId, now));
        }

        @Override
        public boolean completeSent(long jobId, String workerId, long messageId, SendResult result, AiCall aiCall,
                long answeredThroughMessageId, Instant now, Instant followUpAt) {
            return sent(jobId, messageId, d.completeSent(jobId, workerId, messageId, result, aiCall, answeredThroughMessageId, now,
                    followUpAt));
        }

        private boolean sent(long jobId, long messageId, boolean completed) {
            Long leadId = inFlight.remove(messageId);
            if (leadId != null) {
                feed.publish(StoreChange.message(leadId, messageId));
            } else if (feed.hasListeners()) {
                store.messages().findReplyForJob(jobId).ifPresent(ChangeTracking.this::changed); // recorded before a restart
            }
            return completed;
        }
    }
}
