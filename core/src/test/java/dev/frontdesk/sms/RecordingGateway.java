package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.SmsSegments;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link SmsGateway} for tests: records every send, answers with fresh SIDs, and can be scripted to
 * fail. Thread-safe.
 */
public final class RecordingGateway implements SmsGateway {
    private final List<OutboundSms> sent = new ArrayList<>();
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    private final Set<String> verified = new HashSet<>();
    private final AtomicInteger verifyCalls = new AtomicInteger();
    private int counter;

    @Override
    public synchronized SendResult send(OutboundSms sms) {
        RuntimeException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
        sent.add(sms);
        notifyAll();
        return new SendResult(String.format("SM%032d", ++counter), MessageStatus.QUEUED, SmsSegments.count(sms.body()), sms.from());
    }

    @Override
    public synchronized boolean isVerified(PhoneNumber number) {
        verifyCalls.incrementAndGet();
        return verified.contains(number.value());
    }

    public synchronized RecordingGateway verify(String e164) {
        verified.add(e164);
        return this;
    }

    /** The next send throws {@code failure} instead of sending. */
    public synchronized RecordingGateway failNext(RuntimeException failure) {
        failures.add(failure);
        return this;
    }

    public synchronized List<OutboundSms> sent() {
        return List.copyOf(sent);
    }

    public int verifyCalls() {
        return verifyCalls.get();
    }

    /** Waits until at least {@code count} messages were sent or {@code millis} passed; returns what was sent. */
    public synchronized List<OutboundSms> awaitSent(int count, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (sent.size() < count) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return List.copyOf(sent);
    }
}
