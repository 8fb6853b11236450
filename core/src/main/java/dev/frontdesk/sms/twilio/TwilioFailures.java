package dev.frontdesk.sms.twilio;

import com.twilio.exception.ApiException;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.twilio.TwilioSendException.Reason;

/**
 * Twilio's failures as {@link TwilioSendException}s: a typed reason from Twilio's code or the HTTP status, and
 * a message a person can act on, with the phone numbers Twilio's own words quote masked. Stateless.
 */
final class TwilioFailures {
    private TwilioFailures() {
    }

    /** Twilio's error answer, read by the SDK; {@code wireStatus} is the HTTP status seen on the wire. */
    static TwilioSendException fromApiException(ApiException e, int wireStatus) {
        int http = e.getStatusCode() != null ? e.getStatusCode() : wireStatus;
        Integer code = e.getCode();
        Reason reason = Reason.forCode(code, http);
        return fail(reason, code, http, describe(reason, code, http, e.getMessage()), e);
    }

    /** A failure the SDK did not read as Twilio's error: classified by the HTTP status alone. */
    static TwilioSendException fromStatus(int http, Exception e) {
        Reason reason = http != 0 ? Reason.forCode(null, http)
                : e instanceof com.twilio.exception.ApiConnectionException ? Reason.CONNECTION_FAILED : Reason.OTHER;
        return fail(reason, null, http, describe(reason, null, http, e.getMessage()), e);
    }

    private static String describe(Reason reason, Integer code, int http, String twilioMessage) {
        String suffix = code != null ? " (Twilio error " + code + ")" : (http > 0 ? " (HTTP " + http + ")" : "");
        switch (reason) {
            case INVALID_NUMBER:
                return "Twilio says the recipient's number is not a valid phone number" + suffix + ".";
            case UNVERIFIED_NUMBER:
                return "Twilio trial accounts can only text verified numbers; verify this number in the Twilio console or upgrade the account" + suffix + ".";
            case OPTED_OUT:
                return "The recipient has opted out of messages from this number (texted STOP); they must text START first" + suffix + ".";
            case NOT_MOBILE:
                return "Twilio says the recipient's number cannot receive SMS (not a mobile number)" + suffix + ".";
            case BODY_TOO_LONG:
                return "The message is longer than Twilio's 1,600 character limit" + suffix + ".";
            case RATE_LIMITED:
                return "Twilio is rate limiting this account (too many requests); try again shortly" + suffix + ".";
            case AUTHENTICATION_FAILED:
                return "Twilio rejected the account SID or auth token; check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN" + suffix + ".";
            case SERVER_ERROR:
                return "Twilio had a temporary server error; try again later" + suffix + ".";
            default:
                String text = twilioMessage == null ? "no details" : LogSafe.maskPhones(twilioMessage);
                return "Twilio refused the message: " + LogSafe.truncate(text, 200) + suffix + ".";
        }
    }

    static TwilioSendException fail(Reason reason, Integer code, int http, String message, Throwable cause) {
        return new TwilioSendException(reason, message, code, http, cause);
    }
}
