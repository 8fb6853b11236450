package dev.frontdesk.sms.servlet;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.StatusResult;
import dev.frontdesk.sms.StatusUpdate;
import dev.frontdesk.sms.StoreUnavailableException;
import dev.frontdesk.sms.UsageCounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A repository that throws {@link StoreUnavailableException} while {@link #down} is set, like a database that went away. */
final class SwitchableRepository implements LeadRepository {
    private final LeadRepository delegate;
    volatile boolean down;

    SwitchableRepository(LeadRepository delegate) {
        this.delegate = delegate;
    }

    private void check() {
        if (down) {
            throw new StoreUnavailableException("Connection refused: database at db.internal:5432 is down");
        }
    }

    @Override public InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now) { check(); return delegate.recordInbound(sms, keyword, now); }
    @Override public boolean recordOtherSender(OtherSenderMessage message, Instant now) { check(); return delegate.recordOtherSender(message, now); }
    @Override public List<OtherSenderMessage> otherSenderMessages(int limit) { check(); return delegate.otherSenderMessages(limit); }
    @Override public Lead findOrCreateLead(PhoneNumber phone, String source, Instant now) { check(); return delegate.findOrCreateLead(phone, source, now); }
    @Override public Optional<Lead> findLead(long leadId) { check(); return delegate.findLead(leadId); }
    @Override public Optional<Lead> findLeadByPhone(PhoneNumber phone) { check(); return delegate.findLeadByPhone(phone); }
    @Override public List<Lead> listLeads(int limit) { check(); return delegate.listLeads(limit); }
    @Override public Lead setOptOut(long leadId, boolean optedOut, Instant now) { check(); return delegate.setOptOut(leadId, optedOut, now); }
    @Override public Lead setAi(long leadId, boolean enabled, Instant pausedUntil) { check(); return delegate.setAi(leadId, enabled, pausedUntil); }
    @Override public Lead pauseAiUntil(long leadId, Instant until) { check(); return delegate.pauseAiUntil(leadId, until); }
    @Override public Lead updateQualification(long leadId, Map<Qualification.Field, String> values, boolean byStaff) { check(); return delegate.updateQualification(leadId, values, byStaff); }
    @Override public Lead markAfterHoursNotice(long leadId, Instant at) { check(); return delegate.markAfterHoursNotice(leadId, at); }
    @Override public void recordAiCall(AiCall call) { check(); delegate.recordAiCall(call); }
    @Override public UsageCounts usage(Instant from, Instant to) { check(); return delegate.usage(from, to); }
    @Override public Message recordOutbound(NewOutboundMessage message) { check(); return delegate.recordOutbound(message); }
    @Override public Optional<Message> findReplyForJob(long replyJobId) { check(); return delegate.findReplyForJob(replyJobId); }
    @Override public Message markSent(long messageId, SendResult result, Instant sentAt) { check(); return delegate.markSent(messageId, result, sentAt); }
    @Override public Message markFailed(long messageId, MessageStatus status, String errorCode) { check(); return delegate.markFailed(messageId, status, errorCode); }
    @Override public StatusResult applyStatus(StatusUpdate update, Instant now) { check(); return delegate.applyStatus(update, now); }
    @Override public Optional<Message> findMessage(long messageId) { check(); return delegate.findMessage(messageId); }
    @Override public Optional<Message> findMessageBySid(String twilioSid) { check(); return delegate.findMessageBySid(twilioSid); }
    @Override public List<Message> history(long leadId, int limit) { check(); return delegate.history(leadId, limit); }
    @Override public boolean recordAutoReply(long replyJobId, long leadId, boolean aiCall, Instant at) { check(); return delegate.recordAutoReply(replyJobId, leadId, aiCall, at); }
    @Override public Optional<Boolean> autoReplyAiCall(long replyJobId) { check(); return delegate.autoReplyAiCall(replyJobId); }
    @Override public Optional<Instant> firstUnansweredAt(long leadId) { check(); return delegate.firstUnansweredAt(leadId); }
    @Override public long countAutoReplies(Long leadId, boolean aiCallsOnly, Instant since) { check(); return delegate.countAutoReplies(leadId, aiCallsOnly, since); }
    @Override public long countStaffMessages(Instant since) { check(); return delegate.countStaffMessages(since); }
    @Override public ReplyQueue replyQueue() { return delegate.replyQueue(); }
    @Override public void checkAvailable() { check(); delegate.checkAvailable(); }
}
