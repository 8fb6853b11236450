package dev.frontdesk.sms;

import java.util.Objects;

/**
 * A lead as a leads page shows it: the lead and its latest message.
 *
 * @param lead        the lead
 * @param lastMessage the lead's latest message either way, or null when it has none
 */
public record LeadOverview(Lead lead, Message lastMessage) {

    public LeadOverview {
        Objects.requireNonNull(lead, "lead");
    }
}
