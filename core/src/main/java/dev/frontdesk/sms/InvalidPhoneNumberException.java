package dev.frontdesk.sms;

/** Text that cannot be read as a dialable phone number (contract code {@code invalid_phone_number}). */
public class InvalidPhoneNumberException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public InvalidPhoneNumberException(String message) {
        super(ErrorCode.INVALID_PHONE_NUMBER, message);
    }

    public InvalidPhoneNumberException(String message, Throwable cause) {
        super(ErrorCode.INVALID_PHONE_NUMBER, message, cause);
    }
}
