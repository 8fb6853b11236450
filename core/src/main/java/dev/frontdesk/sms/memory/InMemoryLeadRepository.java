package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.EventOutbox;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.MediaItem;
import dev.frontdesk.sms.MissedCallResult;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.OwnerAlerts;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.UsageLedger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * A {@link LeadRepository} in memory, for tests and quick starts. Nothing survives the process. Thread-safe:
 * this object and its parts ({@link #leads()}, {@link #messages()}, {@link #usage()}, {@link #replyQueue()})
 * share one lock, held by every method for the whole call, which makes each call atomic the way a
 * transaction is in the JDBC store.
 */
public final class InMemoryLeadRepository implements LeadRepository {

    private final MemoryState s = new MemoryState();
    private final LeadStore leads = new MemoryLeadStore(s);
    private final MessageStore messages = new MemoryMessageStore(s);
    private final UsageLedger usage = new MemoryUsageLedger(s);
    private final ReplyQueue queue = new MemoryReplyQueue(s, messages, usage);
    private final EventOutbox events = new MemoryEventOutbox(s);
    private final OwnerAlerts alerts = new MemoryOwnerAlerts(s);

    @Override
    public InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now, Duration replyDelay) {
        Objects.requireNonNull(replyDelay, "replyDelay");
        synchronized (s.lock) {
            Long existing = s.messageIdBySid.get(sms.messageSid());
            if (existing != null) {
                Message m = s.messages.get(existing);
                return new InboundResult(s.leads.get(m.leadId()), m, true, null);
            }
            Lead lead = s.findOrCreateLead(sms.from(), sms.channel(),
                    sms.channel() == Channel.WHATSAPP ? Lead.SOURCE_WHATSAPP : Lead.SOURCE_SMS, now);
            boolean optOut = keyword.optOutAfter(lead.smsOptOut());
            lead = lead.withSms(true, optOut, now);
            s.leads.put(lead.id(), lead);
            List<String> media = sms.media().stream().map(MediaItem::url).toList();
            Message m = new Message(s.nextMessageId++, lead.id(), sms.messageSid(), Direction.INBOUND, sms.fromAddress(),
                    sms.to(), sms.body(), MessageStatus.RECEIVED, null, sms.numSegments(), media, null, null, now);
            s.messages.put(m.id(), m);
            s.messageIdBySid.put(sms.messageSid(), m.id());
            s.event(EventType.MESSAGE_RECEIVED, lead.id(), m.id(), now);
            s.cancelFollowUps(lead.id(), now); // the customer answered
            Long jobId = null;
            if (keyword.wantsAiReply(optOut)) {
                MemoryState.Job job = new MemoryState.Job(s.nextJobId++, lead.id(), m.id(), now);
                job.runAt = now.plus(replyDelay);
                s.jobs.put(job.id, job);
                jobId = job.id;
            }
            return new InboundResult(lead, m, false, jobId);
        }
    }

    @Override
    public MissedCallResult recordMissedCall(PhoneNumber caller, String calledNumber, String callSid, Instant now) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(callSid, "callSid");
        synchronized (s.lock) {
            Lead lead = s.findOrCreateLead(caller, Channel.SMS, Lead.SOURCE_CALL, now);
            if (s.jobs.values().stream().anyMatch(j -> callSid.equals(j.callSid))) {
                return new MissedCallResult(lead, null, true);
            }
            if (lead.smsOptOut()) {
                return new MissedCallResult(lead, null, false);
            }
            MemoryState.Job job = new MemoryState.Job(s.nextJobId++, lead.id(), 0, now, ReplyJob.Kind.MISSED_CALL, callSid);
            job.calledNumber = calledNumber;
            s.jobs.put(job.id, job);
            return new MissedCallResult(lead, job.id, false);
        }
    }

    @Override
    public boolean recordOtherSender(OtherSenderMessage message, Instant now) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(now, "now");
        synchronized (s.lock) {
            if (s.otherSenders.containsKey(message.twilioSid())) {
                return false;
            }
            s.otherSenders.put(message.twilioSid(), new OtherSenderMessage(s.nextOtherSenderId++, message.twilioSid(),
                    message.sender(), message.to(), message.body(), message.numMedia(), message.leadId(),
                    now.truncatedTo(ChronoUnit.MICROS)));
            return true;
        }
    }

    @Override
    public void checkAvailable() {
        // Memory is always there.
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
        return usage;
    }

    @Override
    public ReplyQueue replyQueue() {
        return queue;
    }

    @Override
    public EventOutbox events() {
        return events;
    }

    @Override
    public OwnerAlerts ownerAlerts() {
        return alerts;
    }
}
