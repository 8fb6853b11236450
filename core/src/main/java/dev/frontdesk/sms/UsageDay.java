package dev.frontdesk.sms;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Usage and estimated cost of one day ({@code GET /api/usage}), or of a whole span when {@code date} is null.
 *
 * @param date          the day in the business's time zone, or null for totals
 * @param counts        messages, segments, AI calls and tokens
 * @param estimatedCost US dollars, from the configured prices
 */
public record UsageDay(LocalDate date, UsageCounts counts, BigDecimal estimatedCost) {
    public UsageDay {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(estimatedCost, "estimatedCost");
    }
}
