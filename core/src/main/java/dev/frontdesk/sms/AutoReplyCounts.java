package dev.frontdesk.sms;

/**
 * Automatic replies noted since a point in time ({@link UsageLedger#recordAutoReply}), as the abuse caps count them.
 *
 * @param lead the lead's automatic replies, AI or fallback
 * @param all  automatic replies to every lead, AI or fallback
 * @param ai   automatic replies to every lead that were for an AI call
 */
public record AutoReplyCounts(long lead, long all, long ai) {
    /** No replies noted (also what a claim that did not ask for counts gets). */
    public static final AutoReplyCounts NONE = new AutoReplyCounts(0, 0, 0);

    public AutoReplyCounts {
        if (lead < 0 || all < 0 || ai < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }
}
