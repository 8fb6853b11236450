package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether the customer wrote recently, read from a lead's latest messages: a staff text to someone who wrote in
 * the last day is no cold text (quiet hours), and WhatsApp lets a business write freely only within 24 hours of
 * the customer's last message. Pure functions.
 */
final class CustomerWindow {
    /** WhatsApp's customer service window, and the span after which a staff text is a cold one. */
    static final Duration DAY = Duration.ofHours(24);

    private CustomerWindow() {
    }

    /**
     * Whether one of {@code recent} is a message from the customer at or after {@code now - DAY}. A lead whose last
     * inbound message is older than the latest messages read counts as not having written: the answer errs toward
     * "outside".
     */
    static boolean wroteWithinDay(List<Message> recent, Instant now) {
        Instant since = now.minus(DAY);
        for (Message m : recent) {
            if (m.direction() == Direction.INBOUND && m.createdAt() != null && !m.createdAt().isBefore(since)) {
                return true;
            }
        }
        return false;
    }
}
