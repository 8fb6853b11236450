package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.UsageCounts;
import dev.frontdesk.sms.UsageLedger;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The in-memory store's {@link UsageLedger}, on the shared {@link MemoryState}. */
final class MemoryUsageLedger implements UsageLedger {

    private final MemoryState s;

    MemoryUsageLedger(MemoryState state) {
        this.s = state;
    }

    @Override
    public void recordAiCall(AiCall call) {
        synchronized (s.lock) {
            s.aiCalls.add(call);
        }
    }

    @Override
    public UsageCounts counts(Instant from, Instant to) {
        synchronized (s.lock) {
            long in = 0, out = 0, inSeg = 0, outSeg = 0, calls = 0, prompt = 0, completion = 0;
            for (Message m : s.messages.values()) {
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
            for (AiCall c : s.aiCalls) {
                if (!c.createdAt().isBefore(from) && c.createdAt().isBefore(to)) {
                    calls++;
                    prompt += c.promptTokens();
                    completion += c.completionTokens();
                }
            }
            return new UsageCounts(in, out, inSeg, outSeg, calls, prompt, completion);
        }
    }

    @Override
    public boolean recordAutoReply(long replyJobId, long leadId, boolean aiCall, Instant at) {
        synchronized (s.lock) {
            if (s.autoReplyByJob.containsKey(replyJobId)) {
                return false;
            }
            MemoryState.AutoReply note = new MemoryState.AutoReply(replyJobId, leadId, aiCall, at);
            s.autoReplies.add(note);
            s.autoReplyByJob.put(replyJobId, note);
            return true;
        }
    }

    @Override
    public Optional<Boolean> autoReplyAiCall(long replyJobId) {
        synchronized (s.lock) {
            return Optional.ofNullable(s.autoReplyByJob.get(replyJobId)).map(MemoryState.AutoReply::aiCall);
        }
    }

    @Override
    public long countAutoReplies(Long leadId, boolean aiCallsOnly, Instant since) {
        synchronized (s.lock) {
            return s.autoReplies.stream()
                    .filter(a -> leadId == null || a.leadId() == leadId)
                    .filter(a -> !aiCallsOnly || a.aiCall())
                    .filter(a -> !a.at().isBefore(since))
                    .count();
        }
    }

    @Override
    public long countStaffMessages(Instant since) {
        synchronized (s.lock) {
            Set<Long> automatic = new HashSet<>(s.messageIdByReplyJob.values());
            return s.messages.values().stream()
                    .filter(m -> m.direction() == Direction.OUTBOUND && !automatic.contains(m.id()))
                    .filter(m -> !m.createdAt().isBefore(since))
                    .count();
        }
    }
}
