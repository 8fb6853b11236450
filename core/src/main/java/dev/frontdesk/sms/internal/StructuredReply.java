package dev.frontdesk.sms.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.Qualification;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The structured answer every generator asks for, whatever the provider: a JSON object with {@value #REPLY} (the SMS
 * to send) and {@value #QUALIFICATION} (one string-or-null property per {@link Qualification.Field}, by its wire
 * name) and {@value #HANDOFF} (true when the customer asks for a person), given as a JSON-schema answer or as the
 * arguments of the tool {@value #TOOL_NAME}. Immutable and thread-safe.
 *
 * @param reply            the reply text, or null when the object has none
 * @param qualification    the booking details the model read (only fields it gave, blank ones left out)
 * @param handoffRequested whether the model says the customer asks to talk to a person (only a JSON {@code true})
 */
public record StructuredReply(String reply, Map<Qualification.Field, String> qualification, boolean handoffRequested) {

    /** The answer's name: the JSON schema's and the tool's. */
    public static final String TOOL_NAME = "front_desk_reply";
    public static final String REPLY = "reply";
    public static final String QUALIFICATION = "qualification";
    public static final String HANDOFF = "handoff";
    /** What the handoff property holds, in the prompt and the schemas. */
    public static final String HANDOFF_EXPLAINED = "true only when the customer asks to talk to a person (a human, the owner,"
            + " a manager, someone to call them back), else false";
    /** What the reply property holds, in the prompt and the schemas. */
    public static final String REPLY_EXPLAINED = "the SMS to send";
    private static final Map<String, String> FIELDS = fields();
    /** What the prompt tells the model about the answer's properties. */
    static final String FIELDS_EXPLAINED = "\"reply\" is " + REPLY_EXPLAINED + "; \"qualification\" holds what the customer has "
            + "told you so far: " + String.join(", ", FIELDS.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList())
            + "; null for anything they have not said. Never guess. \"handoff\" is " + HANDOFF_EXPLAINED + ".";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer without a handoff request. */
    public StructuredReply(String reply, Map<Qualification.Field, String> qualification) {
        this(reply, qualification, false);
    }

    public StructuredReply {
        qualification = qualification == null || qualification.isEmpty() ? Map.of() : Map.copyOf(qualification);
    }

    /** The qualification's properties in schema order: wire name to what it holds (for schema descriptions). */
    public static Map<String, String> qualificationFields() {
        return FIELDS;
    }

    private static Map<String, String> fields() {
        Map<Qualification.Field, String> explained = Map.of(Qualification.Field.NAME, "their name",
                Qualification.Field.SERVICE, "what they need done", Qualification.Field.ADDRESS, "address or area",
                Qualification.Field.URGENCY, "emergency, soon or flexible",
                Qualification.Field.PREFERRED_TIME, "when they would like someone to come");
        Map<String, String> out = new LinkedHashMap<>();
        for (Qualification.Field f : Qualification.Field.values()) {
            out.put(f.wireName(), explained.getOrDefault(f, f.wireName()));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Reads an answer.
     *
     * @return empty when {@code text} is not a JSON object (a model that answered in plain text: that text is the
     *         reply); else the object's reply (null when it has no reply text) and qualification
     */
    public static Optional<StructuredReply> parse(String text) {
        JsonNode answer;
        try {
            answer = text == null ? null : JSON.readTree(text);
        } catch (IOException notJson) {
            return Optional.empty();
        }
        if (answer == null || !answer.isObject()) {
            return Optional.empty();
        }
        Map<Qualification.Field, String> found = new EnumMap<>(Qualification.Field.class);
        JsonNode q = answer.path(QUALIFICATION);
        for (Qualification.Field f : Qualification.Field.values()) {
            JsonNode v = q.path(f.wireName());
            if (v.isTextual() && !v.asText().isBlank()) {
                found.put(f, v.asText());
            }
        }
        JsonNode reply = answer.path(REPLY);
        return Optional.of(new StructuredReply(reply.isTextual() ? reply.asText() : null, found,
                answer.path(HANDOFF).isBoolean() && answer.path(HANDOFF).booleanValue()));
    }
}
