package dev.frontdesk.sms;

import java.util.Locale;

/**
 * The error codes of the public contract, each with the HTTP status it is answered with. Every
 * {@link FrontDeskException} carries one; an HTTP adapter answers {@code {"error": {"code": wireName, ...}}}
 * with {@link #httpStatus()} and needs no table of its own.
 *
 * <p>Codes that never reach an HTTP client as such (a failed AI call, a refused model answer, a bad setting, a
 * duplicate SID in the store) map to 500: should one escape to a request, the client sees
 * {@code internal_error} and the details stay in the log.
 */
public enum ErrorCode {
    /** The request's shape or a field is wrong; the message names it. */
    INVALID_REQUEST(400),
    /** A phone number is not a possible number. */
    INVALID_PHONE_NUMBER(400),
    /** A staff message is empty. */
    EMPTY_MESSAGE(400),
    /** A staff message is longer than an SMS may be. */
    MESSAGE_TOO_LONG(400),
    /** A staff request without the right credentials. */
    UNAUTHORIZED(401),
    /** A webhook whose {@code X-Twilio-Signature} is missing or wrong. */
    INVALID_SIGNATURE(403),
    /** No lead has the id. */
    LEAD_NOT_FOUND(404),
    /** No endpoint at the path. */
    NOT_FOUND(404),
    /** The endpoint answers another method. */
    METHOD_NOT_ALLOWED(405),
    /** The request body did not arrive in time. */
    REQUEST_TIMEOUT(408),
    /** The lead has opted out of texts. */
    OPTED_OUT(409),
    /** A cold staff text outside the customer's 8:00-21:00. */
    QUIET_HOURS(409),
    /** A free-form WhatsApp text outside the 24-hour window. */
    OUTSIDE_WINDOW(409),
    /** The request body is larger than the endpoint accepts. */
    PAYLOAD_TOO_LARGE(413),
    /** The body is not of the media type the endpoint reads. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** Test mode: the number is not verified. */
    UNVERIFIED_NUMBER(422),
    /** A cap was reached; try again after {@code Retry-After}. */
    RATE_LIMITED(429),
    /** Something failed on the server; details only in the log. */
    INTERNAL_ERROR(500),
    /** The SMS provider refused or failed the send. */
    TWILIO_ERROR(502),
    /** The store is not reachable right now. */
    UNAVAILABLE(503),
    /** The reply generator gave no usable answer (the fallback goes out). */
    AI_ERROR(500),
    /** The model's answer failed the output check (the fallback goes out). */
    REPLY_REFUSED(500),
    /** A setting is missing or malformed. */
    INVALID_CONFIGURATION(500),
    /** The store already holds a message with this provider SID. */
    DUPLICATE_TWILIO_SID(500);

    private final int httpStatus;
    private final String wireName;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    /** The HTTP status this code is answered with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The code as it appears in JSON, e.g. {@code invalid_phone_number}. */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
