package dev.frontdesk.sms.servlet;

import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.SmsSendException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake gateway that records what it was asked to send and answers like Twilio would. */
final class RecordingGateway implements SmsGateway {
    final List<OutboundSms> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger sids = new AtomicInteger();
    volatile SmsSendException failNext;
    volatile Set<String> verified = Set.of();

    @Override
    public SendResult send(OutboundSms sms) {
        SmsSendException failure = failNext;
        if (failure != null) {
            failNext = null;
            throw failure;
        }
        sent.add(sms);
        return new SendResult(String.format("SM%032d", sids.incrementAndGet()), MessageStatus.QUEUED, 1, sms.from());
    }

    @Override
    public boolean isVerified(PhoneNumber number) {
        return verified.contains(number.value());
    }
}
