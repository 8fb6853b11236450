package dev.frontdesk.sms;

/** An outbound message longer than Twilio's 1,600 characters (contract code {@code message_too_long}). */
public class MessageTooLongException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public MessageTooLongException(String message) {
        super("message_too_long", message);
    }

    public MessageTooLongException(String message, Throwable cause) {
        super("message_too_long", message, cause);
    }
}
