package dev.frontdesk.sms.twilio;

import dev.frontdesk.sms.SmsSendException;

/**
 * Twilio refused a message or could not be reached; {@link #reason()} says which case in a typed way,
 * {@link #providerCode()} carries Twilio's numeric error code when it gave one.
 *
 * <p>Messages are written for a person and never contain full phone numbers or credentials.
 */
public final class TwilioSendException extends SmsSendException {
    private static final long serialVersionUID = 1L;

    /** The cases a caller may want to tell apart. */
    public enum Reason {
        /** 21211: the {@code To} number is not a valid phone number. */
        INVALID_NUMBER(21211),
        /** 21608: a trial account may only send to verified numbers. */
        UNVERIFIED_NUMBER(21608),
        /** 21610: the recipient texted STOP; the lead must be marked opted out. */
        OPTED_OUT(21610),
        /** 21614: the {@code To} number cannot receive SMS (landline). */
        NOT_MOBILE(21614),
        /** 21617: the body exceeds 1,600 characters. */
        BODY_TOO_LONG(21617),
        /** 20429 or HTTP 429: too many concurrent requests; never processed, safe to retry later. */
        RATE_LIMITED(20429),
        /** HTTP 401 / 20003: the account SID or auth token is wrong. */
        AUTHENTICATION_FAILED(20003),
        /** HTTP 5xx: a transient failure at Twilio; retry later. */
        SERVER_ERROR(null),
        /** The request never left this process (connection refused, DNS, connect timeout); retry later. */
        CONNECTION_FAILED(null),
        /**
         * The request left but no usable answer came back (read timeout, connection cut, unreadable
         * success body): Twilio may or may not have created the message. Not retried, to never send twice.
         */
        OUTCOME_UNKNOWN(null),
        /** Any other refusal; see {@link #providerCode()}. */
        OTHER(null);

        private final Integer code;

        Reason(Integer code) {
            this.code = code;
        }

        /** Twilio's error code for this reason, or null when it covers several or none. */
        public Integer twilioCode() {
            return code;
        }

        static Reason forCode(Integer twilioCode, int httpStatus) {
            if (twilioCode != null) {
                for (Reason r : values()) {
                    if (twilioCode.equals(r.code)) {
                        return r;
                    }
                }
            }
            if (httpStatus == 429) {
                return RATE_LIMITED;
            }
            if (httpStatus == 401) {
                return AUTHENTICATION_FAILED;
            }
            if (httpStatus >= 500) {
                return SERVER_ERROR;
            }
            return OTHER;
        }

        boolean retryable() {
            return this == RATE_LIMITED || this == SERVER_ERROR || this == CONNECTION_FAILED;
        }
    }

    private final Reason reason;

    TwilioSendException(Reason reason, String message, Integer providerCode, int httpStatus, Throwable cause) {
        super(message, providerCode, httpStatus, reason.retryable(), reason == Reason.OUTCOME_UNKNOWN, cause);
        this.reason = reason;
    }

    /** Which case this is. */
    public Reason reason() {
        return reason;
    }
}
