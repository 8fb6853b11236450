package dev.frontdesk.sms;

/** Text that cannot be read as a dialable phone number (contract code {@code invalid_phone_number}). */
public class InvalidPhoneNumberException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public InvalidPhoneNumberException(String message) {
        super("invalid_phone_number", message);
    }

    public InvalidPhoneNumberException(String message, Throwable cause) {
        super("invalid_phone_number", message, cause);
    }
}
