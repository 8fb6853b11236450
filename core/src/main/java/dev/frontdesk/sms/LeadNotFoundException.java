package dev.frontdesk.sms;

/** No lead has the requested id (contract code {@code lead_not_found}). */
public class LeadNotFoundException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public LeadNotFoundException(String message) {
        super(ErrorCode.LEAD_NOT_FOUND, message);
    }

    public LeadNotFoundException(String message, Throwable cause) {
        super(ErrorCode.LEAD_NOT_FOUND, message, cause);
    }
}
