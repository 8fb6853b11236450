package dev.frontdesk.sms;

import java.util.Optional;

/**
 * What {@link ReplyQueue#recordReply} did.
 *
 * @param message   the job's outbound message (recorded now, or by an earlier attempt); null when nothing was recorded
 * @param takenOver whether nothing was recorded because staff took the conversation over (the job is then done)
 */
public record RecordedReply(Message message, boolean takenOver) {

    public RecordedReply {
        if (message != null && takenOver) {
            throw new IllegalArgumentException("a reply taken over is not recorded");
        }
    }

    public static RecordedReply recorded(Message message) {
        return new RecordedReply(java.util.Objects.requireNonNull(message, "message"), false);
    }

    /** The worker no longer held the job: nothing changed. */
    public static RecordedReply leaseLost() {
        return new RecordedReply(null, false);
    }

    /** Staff paused the lead's AI while the reply was written: the job was completed, nothing recorded. */
    public static RecordedReply staffTookOver() {
        return new RecordedReply(null, true);
    }

    /** {@link #message()}, empty when nothing was recorded. */
    public Optional<Message> findMessage() {
        return Optional.ofNullable(message);
    }
}
