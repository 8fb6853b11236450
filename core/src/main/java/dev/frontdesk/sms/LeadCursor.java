package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Objects;

/**
 * A place in the leads list, which is ordered by most recent activity first: the list after this cursor starts with
 * the first lead that comes after the lead {@code leadId} whose activity was at {@code activityAt}.
 *
 * @param activityAt the lead's {@code lastSmsAt}, or its {@code createdAt} when it has no message
 * @param leadId     the lead's id, which orders leads of the same activity time (higher first)
 */
public record LeadCursor(Instant activityAt, long leadId) {

    public LeadCursor {
        Objects.requireNonNull(activityAt, "activityAt");
    }

    /** The place just after {@code lead}. */
    public static LeadCursor after(Lead lead) {
        return new LeadCursor(lead.lastSmsAt() != null ? lead.lastSmsAt() : lead.createdAt(), lead.id());
    }
}
