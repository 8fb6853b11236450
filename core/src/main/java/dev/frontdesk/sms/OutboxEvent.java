package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One event of the {@link EventOutbox}: what happened (type, lead, message), and where its delivery stands.
 *
 * @param id            the store's row id
 * @param eventId       the event's public id ({@code evt_} and 32 hex digits), the same on every delivery attempt
 * @param type          what happened
 * @param leadId        the lead it is about
 * @param messageId     the message of a {@code message.*} event, else null
 * @param createdAt     when it happened (in the transaction of the change it reports)
 * @param attempts      delivery attempts so far
 * @param nextAttemptAt when it is due next; null once delivered or failed
 * @param deliveredAt   when the receiver answered 2xx, else null
 * @param lastError     why the last attempt failed, else null
 * @param status        where its delivery stands
 */
public record OutboxEvent(long id, String eventId, EventType type, long leadId, Long messageId, Instant createdAt, int attempts,
                          Instant nextAttemptAt, Instant deliveredAt, String lastError, Status status) {

    /** Where an event's delivery stands. */
    public enum Status {
        /** Not delivered yet, attempts left. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Given up on (retried for 24 hours, or it cannot be built). */
        FAILED;

        /** The {@code status} query value of {@code GET /api/events}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for an unknown name */
        public static Status fromWire(String name) {
            for (Status s : values()) {
                if (s.wireName().equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("Unknown event status '" + name + "'.");
        }
    }

    public OutboxEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
    }

    /** A new public event id: {@code evt_} and 32 random hex digits. */
    public static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }
}
