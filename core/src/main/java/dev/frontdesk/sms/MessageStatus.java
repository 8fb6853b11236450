package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.LogSafe;
import java.util.Locale;

/**
 * Where a message stands: Twilio's MessageStatus values, plus {@link #PENDING} (recorded here, not yet
 * accepted by Twilio) and {@link #SIMULATED} (a console gateway that sends nothing).
 *
 * <p>Status only moves forward: {@code pending < accepted/scheduled < queued < sending < sent <
 * partially_delivered < delivered < read}. {@code undelivered}, {@code failed}, {@code canceled} and
 * {@code simulated} are final. Inbound messages go {@code receiving < received}. Callbacks arrive out of
 * order, so {@link #canMoveTo(MessageStatus)} decides whether an update applies.
 */
public enum MessageStatus {
    PENDING(0, false),
    ACCEPTED(1, false),
    SCHEDULED(1, false),
    QUEUED(2, false),
    SENDING(3, false),
    SENT(4, false),
    PARTIALLY_DELIVERED(5, false),
    DELIVERED(6, false),
    READ(7, false),
    UNDELIVERED(-1, true),
    FAILED(-1, true),
    CANCELED(-1, true),
    SIMULATED(-1, true),
    RECEIVING(10, false),
    RECEIVED(11, false);

    private final int rank;
    private final boolean terminal;

    MessageStatus(int rank, boolean terminal) {
        this.rank = rank;
        this.terminal = terminal;
    }

    /** The lower-case name Twilio uses, e.g. {@code partially_delivered}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether nothing may follow this status. */
    public boolean isFinal() {
        return terminal;
    }

    private boolean isInbound() {
        return this == RECEIVING || this == RECEIVED;
    }

    /**
     * Whether a message now in this status may take {@code update}. A pure function: an update applies
     * only if it moves the message forward; a final status never changes; {@code delivered} and
     * {@code read} are not undone by a late failure; the same status again does not apply; outbound and
     * inbound statuses never mix.
     */
    public boolean canMoveTo(MessageStatus update) {
        if (update == null || update == this || terminal) {
            return false;
        }
        if (isInbound() || update.isInbound()) {
            return isInbound() && update.isInbound() && update.rank > rank;
        }
        if (update.terminal) {
            return rank < DELIVERED.rank && update != SIMULATED;
        }
        return update.rank > rank;
    }

    /**
     * Reads Twilio's spelling ({@code delivered}, {@code partially_delivered}); any case, surrounding
     * space ignored.
     *
     * @throws InvalidRequestException for a value Twilio does not send
     */
    public static MessageStatus fromWire(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("MessageStatus is missing.");
        }
        String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (MessageStatus s : values()) {
            if (s.name().equals(v)) {
                return s;
            }
        }
        throw new InvalidRequestException("MessageStatus '" + LogSafe.truncate(value, 30) + "' is not one Twilio sends.");
    }
}
