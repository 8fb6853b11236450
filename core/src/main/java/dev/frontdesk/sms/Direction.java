package dev.frontdesk.sms;

import java.util.Locale;

/** Whether a message came from the customer or went to them. */
public enum Direction {
    INBOUND,
    OUTBOUND;

    /** {@code inbound} or {@code outbound}, as in the JSON contract and the database. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Direction fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
