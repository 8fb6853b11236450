package dev.frontdesk.sms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the front desk has used: reply-generator calls for usage and cost, and the notes the abuse caps are
 * counted from. Reached through {@link LeadRepository#usage()}.
 *
 * <p>Implementations must be thread-safe and, where several processes share one store, correct across them,
 * so that caps hold for every instance that shares it. Every method throws {@link StoreUnavailableException}
 * when the store cannot be reached, and changes nothing then.
 */
public interface UsageLedger {

    /** Records one reply-generator call for usage and cost. */
    void recordAiCall(AiCall call);

    /** Counts messages and AI calls created in {@code [from, to)}, as {@link UsageCounts} says. */
    UsageCounts counts(Instant from, Instant to);

    /**
     * The counts of each span between consecutive {@code boundaries} (ascending), in one call: element {@code i} is
     * exactly what {@link #counts counts(boundaries[i], boundaries[i + 1])} returns. {@code GET /api/usage} asks for
     * a range of days this way and the monthly budget for the month so far, so a store may answer from totals it
     * keeps (the JDBC store caches quarter-hours that ended at least 15 minutes before {@code now}) instead of
     * counting every message. {@code now} is the caller's clock; the answer does not depend on it.
     *
     * <p>The default asks {@link #counts} once per span.
     *
     * @return one element per span, {@code boundaries.size() - 1} in all (none for fewer than two boundaries)
     * @throws IllegalArgumentException when the boundaries are not ascending
     */
    default List<UsageCounts> countsBetween(List<Instant> boundaries, Instant now) {
        Objects.requireNonNull(now, "now");
        checkAscending(boundaries);
        List<UsageCounts> spans = new ArrayList<>();
        for (int i = 0; i + 1 < boundaries.size(); i++) {
            spans.add(counts(boundaries.get(i), boundaries.get(i + 1)));
        }
        return spans;
    }

    /** Throws {@link IllegalArgumentException} unless {@code boundaries} ascend (equal neighbours allowed). */
    static void checkAscending(List<Instant> boundaries) {
        Objects.requireNonNull(boundaries, "boundaries");
        for (int i = 0; i + 1 < boundaries.size(); i++) {
            if (boundaries.get(i + 1).isBefore(boundaries.get(i))) {
                throw new IllegalArgumentException("boundaries must ascend: " + boundaries.get(i + 1) + " is before "
                        + boundaries.get(i));
            }
        }
    }

    /**
     * Notes that the automatic reply for reply job {@code replyJobId} to the lead is being written at
     * {@code at}: by the AI ({@code aiCall} true, one call to the model) or as the fallback without calling it.
     * The abuse caps ({@code AI_REPLIES_PER_LEAD_PER_HOUR}, {@code AI_REPLIES_PER_HOUR},
     * {@code AUTO_REPLIES_PER_HOUR}) are counted from these notes, so they hold across every instance that
     * shares the store. One note per job: a job that has one already (released at shutdown, retried after a
     * failure) keeps it unchanged, also when two instances note it at once, so it is counted once.
     *
     * @return whether this call added the note (false: the job had one)
     */
    boolean recordAutoReply(long replyJobId, long leadId, boolean aiCall, Instant at);

    /**
     * The note {@link #recordAutoReply} made for reply job {@code replyJobId}: whether it was for an AI call;
     * empty when the job has none.
     */
    Optional<Boolean> autoReplyAiCall(long replyJobId);

    /**
     * Automatic replies noted by {@link #recordAutoReply} at or after {@code since}: to the lead
     * {@code leadId}, or to every lead when it is null; only AI calls when {@code aiCallsOnly}.
     */
    long countAutoReplies(Long leadId, boolean aiCallsOnly, Instant since);

    /**
     * Outbound messages typed by staff (recorded without a reply job) created at or after {@code since};
     * the staff cap {@code OUTBOUND_PER_MINUTE} is counted from it.
     */
    long countStaffMessages(Instant since);
}
