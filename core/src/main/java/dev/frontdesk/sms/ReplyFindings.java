package dev.frontdesk.sms;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the reply path learned about a lead while answering it, recorded with the reply by
 * {@link ReplyQueue#recordReply(long, String, java.time.Instant, NewOutboundMessage, ReplyFindings)} in one
 * transaction, so anything that reacts to it (an owner alert, an event) commits or rolls back with the reply.
 *
 * @param qualification    booking details the AI read from the conversation (recorded as
 *                         {@link LeadStore#updateQualification} does for the AI), never null
 * @param handoffRequested whether the customer asked to talk to a person: the AI's answer said so, or one of the
 *                         customer's texts since the business last wrote asks for a person in so many words
 */
public record ReplyFindings(Map<Qualification.Field, String> qualification, boolean handoffRequested) {

    /** Nothing learned. */
    public static final ReplyFindings NONE = new ReplyFindings(Map.of(), false);

    public ReplyFindings {
        qualification = qualification == null || qualification.isEmpty() ? Map.of()
                : Map.copyOf(new EnumMap<>(qualification));
    }

    /** Booking details only, no handoff request. */
    public static ReplyFindings of(Map<Qualification.Field, String> qualification) {
        return new ReplyFindings(qualification, false);
    }
}
