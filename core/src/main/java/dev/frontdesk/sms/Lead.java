package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer who has texted the business or been texted by staff, keyed by channel and phone number.
 *
 * @param id                store-assigned id, positive
 * @param phoneNumber       E.164 number, unique among the leads of its channel
 * @param name              the customer's name when known, else null
 * @param source            how the lead arrived: {@code sms} (texted in), {@code whatsapp} (wrote on WhatsApp),
 *                          {@code call} (called and nobody answered) or {@code manual} (staff texted first)
 * @param smsEnabled        whether the lead can be texted (set once they have texted in)
 * @param smsOptOut         whether they texted STOP (and not START since)
 * @param lastSmsAt         time of the last message either way, or null
 * @param createdAt         when the lead was first recorded
 * @param aiEnabled         the AI switch as stored: false while staff have taken over (see {@link #aiActive})
 * @param aiPausedUntil     with {@code aiEnabled} false, when the AI comes back by itself; null means "until
 *                          staff hand it back"
 * @param qualification     what the business knows for booking the job, never null
 * @param afterHoursNoticeAt when the customer was last told that a person follows up in business hours, or null
 * @param channel           how the lead writes and is answered ({@link Channel#SMS} or {@link Channel#WHATSAPP})
 */
public record Lead(long id, PhoneNumber phoneNumber, String name, String source, boolean smsEnabled,
                   boolean smsOptOut, Instant lastSmsAt, Instant createdAt, boolean aiEnabled, Instant aiPausedUntil,
                   Qualification qualification, Instant afterHoursNoticeAt, Channel channel) {

    public static final String SOURCE_SMS = "sms";
    public static final String SOURCE_WHATSAPP = "whatsapp";
    public static final String SOURCE_CALL = "call";
    public static final String SOURCE_MANUAL = "manual";

    public Lead {
        if (id <= 0) {
            throw new IllegalArgumentException("Lead id must be positive, was " + id);
        }
        Objects.requireNonNull(phoneNumber, "phoneNumber");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
        channel = channel == null ? Channel.SMS : channel;
        qualification = qualification == null ? Qualification.EMPTY : qualification;
        if (aiEnabled) {
            aiPausedUntil = null;
        }
    }

    /** An SMS lead. */
    public Lead(long id, PhoneNumber phoneNumber, String name, String source, boolean smsEnabled, boolean smsOptOut,
                Instant lastSmsAt, Instant createdAt, boolean aiEnabled, Instant aiPausedUntil, Qualification qualification,
                Instant afterHoursNoticeAt) {
        this(id, phoneNumber, name, source, smsEnabled, smsOptOut, lastSmsAt, createdAt, aiEnabled, aiPausedUntil,
                qualification, afterHoursNoticeAt, Channel.SMS);
    }

    /** An SMS lead with the AI on and nothing qualified yet. */
    public Lead(long id, PhoneNumber phoneNumber, String name, String source, boolean smsEnabled, boolean smsOptOut,
                Instant lastSmsAt, Instant createdAt) {
        this(id, phoneNumber, name, source, smsEnabled, smsOptOut, lastSmsAt, createdAt, true, null, Qualification.EMPTY, null,
                Channel.SMS);
    }

    /** The address Twilio knows the lead by: the number, or {@code whatsapp:} and the number. */
    public String address() {
        return channel.address(phoneNumber);
    }

    /** This lead on another channel (for a store building a new lead). */
    public Lead withChannel(Channel c) {
        return new Lead(id, phoneNumber, name, source, smsEnabled, smsOptOut, lastSmsAt, createdAt, aiEnabled,
                aiPausedUntil, qualification, afterHoursNoticeAt, c);
    }

    /** Whether the AI answers this lead at {@code now}: switched on, or paused until a time that has passed. */
    public boolean aiActive(Instant now) {
        return aiEnabled || (aiPausedUntil != null && !now.isBefore(aiPausedUntil));
    }

    /** This lead with its SMS state changed. */
    public Lead withSms(boolean smsEnabled, boolean smsOptOut, Instant lastSmsAt) {
        return new Lead(id, phoneNumber, name, source, smsEnabled, smsOptOut, lastSmsAt, createdAt, aiEnabled,
                aiPausedUntil, qualification, afterHoursNoticeAt, channel);
    }

    /** This lead with its AI switch changed. */
    public Lead withAi(boolean enabled, Instant pausedUntil) {
        return new Lead(id, phoneNumber, name, source, smsEnabled, smsOptOut, lastSmsAt, createdAt, enabled,
                enabled ? null : pausedUntil, qualification, afterHoursNoticeAt, channel);
    }

    /** This lead with another qualification. */
    public Lead withQualification(Qualification q) {
        return new Lead(id, phoneNumber, name, source, smsEnabled, smsOptOut, lastSmsAt, createdAt, aiEnabled,
                aiPausedUntil, q, afterHoursNoticeAt, channel);
    }

    /** This lead with the time of its last after-hours notice. */
    public Lead withAfterHoursNoticeAt(Instant at) {
        return new Lead(id, phoneNumber, name, source, smsEnabled, smsOptOut, lastSmsAt, createdAt, aiEnabled,
                aiPausedUntil, qualification, at, channel);
    }
}
