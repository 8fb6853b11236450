package dev.frontdesk.sms;

/** The kinds of event posted to the host's CRM ({@code EVENTS_WEBHOOK_URL}); each has its wire name. */
public enum EventType {
    /** A new lead: a number texted for the first time, or staff texted a new number. */
    LEAD_CREATED("lead.created"),
    /** The lead became fully qualified: name, service, address and preferred time known. */
    LEAD_QUALIFIED("lead.qualified"),
    /** A customer's text was stored. */
    MESSAGE_RECEIVED("message.received"),
    /** A reply or a staff text was accepted by the provider. */
    MESSAGE_SENT("message.sent"),
    /** The customer asked to talk to a person. */
    HANDOFF_REQUESTED("handoff.requested");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code type} field of the event's JSON. */
    public String wireName() {
        return wireName;
    }

    /** Whether the event's JSON carries the message ({@code message.*}). */
    public boolean carriesMessage() {
        return this == MESSAGE_RECEIVED || this == MESSAGE_SENT;
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static EventType fromWire(String name) {
        for (EventType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown event type '" + name + "'.");
    }
}
