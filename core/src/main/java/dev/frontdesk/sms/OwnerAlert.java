package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One text to the business owner ({@code OWNER_PHONE_NUMBER}) about a lead, kept by {@link OwnerAlerts}: why, which
 * customer text it quotes, and where its sending stands. At most one exists per lead and reason.
 *
 * @param id            the store's row id
 * @param leadId        the lead it is about
 * @param reason        why the owner is told
 * @param messageId     the customer's latest text when it was recorded (the one quoted), or null when there was none
 * @param createdAt     when it was recorded (in the transaction of the change that called for it)
 * @param status        where its sending stands
 * @param attempts      send attempts so far
 * @param nextAttemptAt when it is due next; null once sent or failed
 * @param sentAt        when Twilio accepted it, else null
 * @param twilioSid     Twilio's SID of the sent text, else null
 * @param lastError     why the last attempt failed (safe to show staff), else null
 */
public record OwnerAlert(long id, long leadId, Reason reason, Long messageId, Instant createdAt, Status status, int attempts,
                         Instant nextAttemptAt, Instant sentAt, String twilioSid, String lastError) {

    /** Why the owner is told, with its name in JSON and in the store. */
    public enum Reason {
        /** The customer asked to talk to a person. */
        HANDOFF("handoff"),
        /** The AI read an emergency from the conversation (qualification urgency {@code emergency}). */
        EMERGENCY("emergency"),
        /** Name, service, address and preferred time are all known. */
        QUALIFIED("qualified");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        /** The reason's name in JSON and in the store, e.g. {@code handoff}. */
        public String wireName() {
            return wireName;
        }

        /** @throws IllegalArgumentException for an unknown name */
        public static Reason fromWire(String name) {
            for (Reason r : values()) {
                if (r.wireName.equals(name)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("Unknown owner alert reason '" + name + "'.");
        }
    }

    /** Where an alert's sending stands. */
    public enum Status {
        /** Not sent yet, attempts left. */
        PENDING,
        /** Twilio accepted it. */
        SENT,
        /** Given up on (Twilio refused it for good, or retried for a day). */
        FAILED;

        /** The status's name in JSON and in the store. */
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
            throw new IllegalArgumentException("Unknown owner alert status '" + name + "'.");
        }
    }

    public OwnerAlert {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
    }
}
