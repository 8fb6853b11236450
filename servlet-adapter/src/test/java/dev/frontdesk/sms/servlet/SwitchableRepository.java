package dev.frontdesk.sms.servlet;

import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.StoreUnavailableException;
import dev.frontdesk.sms.UsageLedger;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;

/**
 * A repository that throws {@link StoreUnavailableException} while {@link #down} is set, like a database that went
 * away: here and on its leads, messages and usage (the reply queue is passed through as it is).
 */
final class SwitchableRepository implements LeadRepository {
    private final LeadRepository delegate;
    private final LeadStore leads;
    private final MessageStore messages;
    private final UsageLedger usage;
    volatile boolean down;

    SwitchableRepository(LeadRepository delegate) {
        this.delegate = delegate;
        this.leads = switchable(LeadStore.class, delegate.leads());
        this.messages = switchable(MessageStore.class, delegate.messages());
        this.usage = switchable(UsageLedger.class, delegate.usage());
    }

    private void check() {
        if (down) {
            throw new StoreUnavailableException("Connection refused: database at db.internal:5432 is down");
        }
    }

    /** {@code target} behind {@link #check()}: each of its methods throws while the store is down. */
    private <T> T switchable(Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() != Object.class) {
                check();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    @Override public InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now, java.time.Duration replyDelay) {
        check();
        return delegate.recordInbound(sms, keyword, now, replyDelay);
    }
    @Override public java.util.Optional<AutoCloseable> onOtherChanges(java.util.function.Consumer<dev.frontdesk.sms.StoreChange> l) {
        return delegate.onOtherChanges(l);
    }
    @Override public boolean recordOtherSender(OtherSenderMessage message, Instant now) { check(); return delegate.recordOtherSender(message, now); }
    @Override public dev.frontdesk.sms.MissedCallResult recordMissedCall(dev.frontdesk.sms.PhoneNumber caller, String called, String callSid, Instant now) { check(); return delegate.recordMissedCall(caller, called, callSid, now); }
    @Override public void checkAvailable() { check(); delegate.checkAvailable(); }
    @Override public LeadStore leads() { return leads; }
    @Override public MessageStore messages() { return messages; }
    @Override public UsageLedger usage() { return usage; }
    @Override public ReplyQueue replyQueue() { return delegate.replyQueue(); }
    @Override public dev.frontdesk.sms.EventOutbox events() { return delegate.events(); }
}
