package dev.frontdesk.sms;

/**
 * One change to a lead or a message that the front desk made in the store: what the dashboard's live stream
 * ({@code GET /api/events/stream}) sends as {@code event: lead} or {@code event: message}. It names what changed,
 * not how, so a page asks the API for the new state.
 *
 * @param kind      what changed
 * @param leadId    the lead, or the lead the message belongs to
 * @param messageId the message for {@link Kind#MESSAGE}, null for {@link Kind#LEAD}
 */
public record StoreChange(Kind kind, long leadId, Long messageId) {

    /** What a change is about. */
    public enum Kind {
        /** The lead's own fields: opt-out, AI switch or pause, qualification, after-hours notice. */
        LEAD,
        /** A message was stored or its status changed (also an inbound text, which updates its lead too). */
        MESSAGE;

        /** The name in the stream, {@code lead} or {@code message}. */
        public String wireName() {
            return this == LEAD ? "lead" : "message";
        }
    }

    public StoreChange {
        java.util.Objects.requireNonNull(kind, "kind");
        if (leadId <= 0) {
            throw new IllegalArgumentException("leadId must be positive, was " + leadId);
        }
        if ((kind == Kind.MESSAGE) != (messageId != null)) {
            throw new IllegalArgumentException("a message change names its message, a lead change none: " + kind + " " + messageId);
        }
    }

    /** A change to the lead's own fields. */
    public static StoreChange lead(long leadId) {
        return new StoreChange(Kind.LEAD, leadId, null);
    }

    /** A message of lead {@code leadId} was stored or changed. */
    public static StoreChange message(long leadId, long messageId) {
        return new StoreChange(Kind.MESSAGE, leadId, messageId);
    }
}
