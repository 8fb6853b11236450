package dev.frontdesk.sms;

/** An outbound message with no text (contract code {@code empty_message}). */
public class EmptyMessageException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public EmptyMessageException(String message) {
        super(ErrorCode.EMPTY_MESSAGE, message);
    }

    public EmptyMessageException(String message, Throwable cause) {
        super(ErrorCode.EMPTY_MESSAGE, message, cause);
    }
}
