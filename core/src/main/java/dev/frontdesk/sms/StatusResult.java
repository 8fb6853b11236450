package dev.frontdesk.sms;

import java.util.Optional;

/**
 * What {@link MessageStore#applyStatus} did.
 *
 * @param message the message after the update, or empty when no message has that SID
 * @param applied whether the update changed the status (false for a late or repeated callback)
 */
public record StatusResult(Optional<Message> message, boolean applied) {
    public static StatusResult unknownSid() {
        return new StatusResult(Optional.empty(), false);
    }
}
