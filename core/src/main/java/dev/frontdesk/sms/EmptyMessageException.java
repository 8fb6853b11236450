package dev.frontdesk.sms;

/** An outbound message with no text (contract code {@code empty_message}). */
public class EmptyMessageException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public EmptyMessageException(String message) {
        super("empty_message", message);
    }

    public EmptyMessageException(String message, Throwable cause) {
        super("empty_message", message, cause);
    }
}
