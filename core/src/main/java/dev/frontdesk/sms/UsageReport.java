package dev.frontdesk.sms;

import java.util.List;
import java.util.Objects;

/**
 * Usage per day and in total over a span of days ({@code GET /api/usage}).
 *
 * @param days   one entry per day, oldest first, days without activity included
 * @param totals the sum over all days ({@code date} null)
 */
public record UsageReport(List<UsageDay> days, UsageDay totals) {
    public UsageReport {
        days = List.copyOf(days);
        Objects.requireNonNull(totals, "totals");
    }
}
