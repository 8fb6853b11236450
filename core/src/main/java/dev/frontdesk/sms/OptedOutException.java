package dev.frontdesk.sms;

/** The lead texted STOP; nothing may be sent until they text START (contract code {@code opted_out}). */
public class OptedOutException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public OptedOutException(String message) {
        super(ErrorCode.OPTED_OUT, message);
    }

    public OptedOutException(String message, Throwable cause) {
        super(ErrorCode.OPTED_OUT, message, cause);
    }
}
