package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer who has texted the business or been texted by staff, keyed by phone number.
 *
 * @param id          store-assigned id, positive
 * @param phoneNumber E.164 number, unique among leads
 * @param name        the customer's name when known, else null
 * @param source      how the lead arrived: {@code sms} (texted in) or {@code manual} (staff texted first)
 * @param smsEnabled  whether the lead can be texted (set once they have texted in)
 * @param smsOptOut   whether they texted STOP (and not START since)
 * @param lastSmsAt   time of the last message either way, or null
 * @param createdAt   when the lead was first recorded
 */
public record Lead(long id, PhoneNumber phoneNumber, String name, String source, boolean smsEnabled,
                   boolean smsOptOut, Instant lastSmsAt, Instant createdAt) {

    public static final String SOURCE_SMS = "sms";
    public static final String SOURCE_MANUAL = "manual";

    public Lead {
        if (id <= 0) {
            throw new IllegalArgumentException("Lead id must be positive, was " + id);
        }
        Objects.requireNonNull(phoneNumber, "phoneNumber");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
