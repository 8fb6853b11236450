package dev.frontdesk.sms;

/**
 * A staff text would reach the customer outside 8:00-21:00 in their time zone; it is sent only when
 * confirmed ({@code "force": true}). Code {@code quiet_hours}, HTTP 409.
 */
public class QuietHoursException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public QuietHoursException(String message) {
        super(ErrorCode.QUIET_HOURS, message);
    }
}
