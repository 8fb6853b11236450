package dev.frontdesk.sms;

/** A request is malformed or its fields contradict each other (contract code {@code invalid_request}). */
public class InvalidRequestException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super("invalid_request", message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super("invalid_request", message, cause);
    }
}
