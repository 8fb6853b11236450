package dev.frontdesk.sms;

import java.math.BigDecimal;

/**
 * Where this month's spending stands against {@code MONTHLY_BUDGET_USD} ({@code GET /api/twilio/status}).
 *
 * @param monthlyBudget the budget in US dollars, or null when none is set
 * @param spent         estimated cost so far this calendar month (business time zone)
 * @param reached       whether spending reached the budget, so only fallback replies go out
 */
public record BudgetStatus(BigDecimal monthlyBudget, BigDecimal spent, boolean reached) {
}
