package dev.frontdesk.sms;

import java.util.EnumMap;
import java.util.Map;

/**
 * What a {@link ReplyGenerator} answered: the reply and, when it extracts them, the booking details it read
 * from the conversation and the tokens the model counted.
 *
 * @param reply            the reply text, or null when the generator has nothing to say (the fallback goes out)
 * @param qualification    booking details read from the conversation (only fields it found), never null
 * @param promptTokens     input tokens the provider counted, 0 when unknown
 * @param completionTokens output tokens the provider counted, 0 when unknown
 * @param model            the model that answered, or null when unknown
 * @param handoffRequested whether the model read that the customer asks to talk to a person
 */
public record ReplyResult(String reply, Map<Qualification.Field, String> qualification, int promptTokens,
                          int completionTokens, String model, boolean handoffRequested) {

    /** A result without a handoff request. */
    public ReplyResult(String reply, Map<Qualification.Field, String> qualification, int promptTokens,
                       int completionTokens, String model) {
        this(reply, qualification, promptTokens, completionTokens, model, false);
    }

    public ReplyResult {
        qualification = qualification == null || qualification.isEmpty() ? Map.of()
                : Map.copyOf(new EnumMap<>(qualification));
    }

    /** Just a reply, nothing extracted, tokens unknown. */
    public static ReplyResult of(String reply) {
        return new ReplyResult(reply, Map.of(), 0, 0, null);
    }
}
