package dev.frontdesk.sms;

/** An outbound message longer than Twilio's 1,600 characters (contract code {@code message_too_long}). */
public class MessageTooLongException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public MessageTooLongException(String message) {
        super(ErrorCode.MESSAGE_TOO_LONG, message);
    }

    public MessageTooLongException(String message, Throwable cause) {
        super(ErrorCode.MESSAGE_TOO_LONG, message, cause);
    }
}
