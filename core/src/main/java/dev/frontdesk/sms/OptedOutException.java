package dev.frontdesk.sms;

/** The lead texted STOP; nothing may be sent until they text START (contract code {@code opted_out}). */
public class OptedOutException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public OptedOutException(String message) {
        super("opted_out", message);
    }

    public OptedOutException(String message, Throwable cause) {
        super("opted_out", message, cause);
    }
}
