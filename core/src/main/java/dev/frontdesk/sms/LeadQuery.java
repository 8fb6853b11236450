package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link LeadStore#listLeads(LeadQuery)} lists: up to {@code limit} leads, most recent activity first
 * ({@code lastSmsAt}, else {@code createdAt}, then higher id first), after {@code after} when given, matching
 * {@code search} and {@code filter} when given.
 *
 * @param search text to look for, case-insensitive, in the lead's {@code name} and {@code qualification.name}, and,
 *               when it is a phone number or part of one (digits with {@code + - ( ) .} and spaces), in the digits of
 *               its number; null for no search. Blank is no search.
 * @param filter which leads, or null for all
 * @param after  where the previous page ended, or null for the first page
 * @param limit  the most leads to return, zero or more
 * @param now    the time {@link LeadFilter#AI_PAUSED} is judged at
 */
public record LeadQuery(String search, LeadFilter filter, LeadCursor after, int limit, Instant now) {

    private static final Pattern PHONE_LIKE = Pattern.compile("[0-9+().\\- ]*[0-9][0-9+().\\- ]*");

    public LeadQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        Objects.requireNonNull(now, "now");
        search = search == null || search.isBlank() ? null : search.strip();
    }

    /** The first {@code limit} leads, all of them. */
    public static LeadQuery first(int limit, Instant now) {
        return new LeadQuery(null, null, null, limit, now);
    }

    /** The same query asking for another number of leads. */
    public LeadQuery withLimit(int newLimit) {
        return new LeadQuery(search, filter, after, newLimit, now);
    }

    /** The search in lower case (ROOT locale) for the name match, or null. */
    public String searchLowerCase() {
        return search == null ? null : search.toLowerCase(Locale.ROOT);
    }

    /** The digits the number must contain, when the search looks like a phone number or part of one; else null. */
    public String searchDigits() {
        if (search == null || !PHONE_LIKE.matcher(search).matches()) {
            return null;
        }
        return search.replaceAll("[^0-9]", "");
    }
}
