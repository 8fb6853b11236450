package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.UsageCounts;
import dev.frontdesk.sms.UsageLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
        return to.isBefore(from) ? UsageCounts.ZERO : countsBetween(List.of(from, to), to).get(0);
    }

    /** One pass over the messages and AI calls, each added to the span its creation time falls in. */
    @Override
    public List<UsageCounts> countsBetween(List<Instant> boundaries, Instant now) {
        UsageLedger.checkAscending(boundaries);
        int spans = Math.max(boundaries.size() - 1, 0);
        long[][] c = new long[spans][7];
        synchronized (s.lock) {
            for (Message m : s.messages.values()) {
                int i = span(boundaries, m.createdAt());
                if (i < 0) {
                    continue;
                }
                int segments = m.numSegments() == null ? 1 : m.numSegments();
                if (m.direction() == Direction.INBOUND) {
                    c[i][0]++;
                    c[i][2] += segments;
                } else if (m.twilioSid() != null) {
                    c[i][1]++;
                    c[i][3] += segments;
                }
            }
            for (AiCall call : s.aiCalls) {
                int i = span(boundaries, call.createdAt());
                if (i >= 0) {
                    c[i][4]++;
                    c[i][5] += call.promptTokens();
                    c[i][6] += call.completionTokens();
                }
            }
        }
        List<UsageCounts> out = new ArrayList<>(spans);
        for (long[] x : c) {
            out.add(new UsageCounts(x[0], x[1], x[2], x[3], x[4], x[5], x[6]));
        }
        return out;
    }

    /** The span {@code [b(i), b(i+1))} holding {@code t}, or -1. */
    private static int span(List<Instant> b, Instant t) {
        int lo = 0, hi = b.size() - 2, found = -1;
        while (lo <= hi) { // the last boundary at or before t
            int mid = (lo + hi) >>> 1;
            if (b.get(mid).isAfter(t)) {
                hi = mid - 1;
            } else {
                found = mid;
                lo = mid + 1;
            }
        }
        return found >= 0 && t.isBefore(b.get(found + 1)) ? found : -1;
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
