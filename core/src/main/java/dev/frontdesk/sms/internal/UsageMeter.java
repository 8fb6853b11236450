package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.BudgetStatus;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.InvalidRequestException;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.UsageCounts;
import dev.frontdesk.sms.UsageDay;
import dev.frontdesk.sms.UsageReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Usage, estimated cost and the monthly budget: counts come from the store, prices from the configuration, and
 * days are days in the business's time zone. Thread-safe.
 */
public final class UsageMeter {
    private final FrontDeskConfig config;
    private final LeadRepository repository;

    public UsageMeter(FrontDeskConfig config, LeadRepository repository) {
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    /**
     * Usage and estimated cost per day from {@code from} to {@code to}, both included.
     *
     * @throws InvalidRequestException when {@code to} is before {@code from} or the span is over
     *         {@link FrontDesk#MAX_USAGE_DAYS} days
     */
    public UsageReport usage(LocalDate from, LocalDate to, Instant now) {
        if (to.isBefore(from)) {
            throw new InvalidRequestException("to (" + to + ") is before from (" + from + "); give the first day, then the last.");
        }
        if (from.plusDays(FrontDesk.MAX_USAGE_DAYS).isBefore(to.plusDays(1))) {
            throw new InvalidRequestException("Ask for at most " + FrontDesk.MAX_USAGE_DAYS + " days at a time.");
        }
        ZoneId zone = config.business().timeZone();
        List<Instant> dayStarts = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to.plusDays(1)); d = d.plusDays(1)) {
            dayStarts.add(d.atStartOfDay(zone).toInstant());
        }
        List<UsageCounts> counts = repository.usage().countsBetween(dayStarts, now); // one store call for the range
        List<UsageDay> days = new ArrayList<>();
        UsageCounts total = UsageCounts.ZERO;
        LocalDate d = from;
        for (UsageCounts c : counts) {
            days.add(new UsageDay(d, c, cost(c)));
            total = total.plus(c);
            d = d.plusDays(1);
        }
        return new UsageReport(days, new UsageDay(null, total, cost(total)));
    }

    /**
     * The spending of the calendar month of {@code now} (business time zone) up to {@code now}, against the budget:
     * the month's running total from the store's kept totals ({@link dev.frontdesk.sms.UsageLedger#countsBetween}).
     */
    public BudgetStatus budget(Instant now) {
        ZoneId zone = config.business().timeZone();
        Instant monthStart = now.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
        UsageCounts month = repository.usage().countsBetween(List.of(monthStart, now.plusMillis(1)), now).get(0);
        BigDecimal spent = cost(month);
        BigDecimal limit = config.pricing().monthlyBudget();
        return new BudgetStatus(limit, spent, limit != null && spent.compareTo(limit) >= 0);
    }

    /** Estimated cost in US dollars of {@code c} at the configured prices, to a hundredth of a cent. */
    public BigDecimal cost(UsageCounts c) {
        BigDecimal million = BigDecimal.valueOf(1_000_000);
        return config.pricing().outboundSegment().multiply(BigDecimal.valueOf(c.outboundSegments()))
                .add(config.pricing().inboundSegment().multiply(BigDecimal.valueOf(c.inboundSegments())))
                .add(config.pricing().aiInputPerMillionTokens().multiply(BigDecimal.valueOf(c.promptTokens())).divide(million))
                .add(config.pricing().aiOutputPerMillionTokens().multiply(BigDecimal.valueOf(c.completionTokens())).divide(million))
                .setScale(4, RoundingMode.HALF_UP);
    }
}
