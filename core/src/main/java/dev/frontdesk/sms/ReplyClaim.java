package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@link ReplyQueue#claimNext} found: a claimed job with everything it needs, or, when nothing was due, when
 * the next job becomes claimable.
 *
 * @param context   the claimed job's context; null when nothing was due
 * @param nextDueAt when nothing was due: {@link ReplyQueue#nextDueAt} at the time of the claim (null when no job is
 *                  pending); null when a job was claimed
 */
public record ReplyClaim(ReplyContext context, Instant nextDueAt) {

    public ReplyClaim {
        if (context != null && nextDueAt != null) {
            throw new IllegalArgumentException("a claim that took a job has no next due time");
        }
    }

    public static ReplyClaim of(ReplyContext context) {
        return new ReplyClaim(java.util.Objects.requireNonNull(context, "context"), null);
    }

    public static ReplyClaim nothingDue(Optional<Instant> nextDueAt) {
        return new ReplyClaim(null, nextDueAt.orElse(null));
    }

    /** The claimed job's context, empty when nothing was due. */
    public Optional<ReplyContext> claimed() {
        return Optional.ofNullable(context);
    }
}
