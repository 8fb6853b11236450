package dev.frontdesk.sms;

/** The store cannot be reached right now; the caller should retry later (contract code {@code unavailable}). */
public class StoreUnavailableException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(ErrorCode.UNAVAILABLE, message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }
}
