package dev.frontdesk.sms;

/**
 * Whether the front desk can serve now: its store answers.
 *
 * @param available whether the store answered
 * @param problem   why not, for the log only (a driver's message may name hosts or tables), or null when available
 */
public record Health(boolean available, String problem) {
    /** The store answers. */
    public static final Health UP = new Health(true, null);

    public Health {
        if (available && problem != null) {
            throw new IllegalArgumentException("An available front desk has no problem to report.");
        }
    }

    /** The store does not answer, for the reason given. */
    public static Health down(String problem) {
        return new Health(false, problem);
    }
}
