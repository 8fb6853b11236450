package dev.frontdesk.sms;

import java.util.List;
import java.util.Objects;

/**
 * A lead as a leads page shows it: the lead and its latest message; for one lead's page also the owner alerts sent
 * about it.
 *
 * @param lead        the lead
 * @param lastMessage the lead's latest message either way, or null when it has none
 * @param alerts      the lead's owner alerts, oldest first: filled by {@link FrontDesk#lead(long)}, empty in lists
 */
public record LeadOverview(Lead lead, Message lastMessage, List<OwnerAlert> alerts) {

    public LeadOverview {
        Objects.requireNonNull(lead, "lead");
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    /** A lead and its latest message, without alerts (a row of a list). */
    public LeadOverview(Lead lead, Message lastMessage) {
        this(lead, lastMessage, List.of());
    }
}
