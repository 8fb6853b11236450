package dev.frontdesk.sms;

import java.util.List;

/**
 * One page of the leads list.
 *
 * @param leads the leads, most recent activity first
 * @param next  where the next page starts, or null when this page is the last
 */
public record LeadPage(List<LeadOverview> leads, LeadCursor next) {

    public LeadPage {
        leads = List.copyOf(leads);
    }
}
