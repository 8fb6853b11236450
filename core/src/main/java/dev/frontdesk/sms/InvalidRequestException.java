package dev.frontdesk.sms;

/** A request is malformed or its fields contradict each other (contract code {@code invalid_request}). */
public class InvalidRequestException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(ErrorCode.INVALID_REQUEST, message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(ErrorCode.INVALID_REQUEST, message, cause);
    }
}
