package dev.frontdesk.sms;

/** A Twilio SID is already stored for another message; the store refuses to overwrite it. */
public class DuplicateTwilioSidException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public DuplicateTwilioSidException(String message) {
        super(ErrorCode.DUPLICATE_TWILIO_SID, message);
    }

    public DuplicateTwilioSidException(String message, Throwable cause) {
        super(ErrorCode.DUPLICATE_TWILIO_SID, message, cause);
    }
}
