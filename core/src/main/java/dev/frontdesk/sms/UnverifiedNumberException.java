package dev.frontdesk.sms;

/** In test mode, the recipient is not one of the account's verified numbers (contract code {@code unverified_number}). */
public class UnverifiedNumberException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public UnverifiedNumberException(String message) {
        super(ErrorCode.UNVERIFIED_NUMBER, message);
    }

    public UnverifiedNumberException(String message, Throwable cause) {
        super(ErrorCode.UNVERIFIED_NUMBER, message, cause);
    }
}
