package dev.frontdesk.sms;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link ReplyGenerator} may use to write one reply.
 *
 * @param business     the business profile
 * @param lead         the customer
 * @param conversation the most recent messages, oldest first, ending with the customer's newest text(s)
 * @param deadline     the instant after which the answer is no longer wanted (the fallback reply goes out)
 * @param notes        instructions for this one reply, written by the front desk from its configuration and
 *                     from counts only (never customer text): business hours, photos received, the booking
 *                     details still missing. A generator adds them to its instructions.
 */
public record ReplyRequest(BusinessProfile business, Lead lead, List<Message> conversation, Instant deadline,
                           List<String> notes) {
    public ReplyRequest {
        Objects.requireNonNull(business, "business");
        Objects.requireNonNull(lead, "lead");
        Objects.requireNonNull(deadline, "deadline");
        conversation = List.copyOf(conversation);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A request without notes. */
    public ReplyRequest(BusinessProfile business, Lead lead, List<Message> conversation, Instant deadline) {
        this(business, lead, conversation, deadline, List.of());
    }
}
