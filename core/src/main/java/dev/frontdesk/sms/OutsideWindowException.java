package dev.frontdesk.sms;

/**
 * A staff text to a WhatsApp lead more than 24 hours after the customer's last message: WhatsApp lets a business
 * write freely only within that window (after it, only pre-approved templates, which this library does not send).
 * Code {@code outside_window}, HTTP 409; nothing is stored or sent.
 */
public class OutsideWindowException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public OutsideWindowException(String message) {
        super(ErrorCode.OUTSIDE_WINDOW, message);
    }
}
