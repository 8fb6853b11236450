package dev.frontdesk.sms;

/**
 * An SMS could not be sent by the gateway (contract code {@code twilio_error}).
 *
 * <p>Carries the provider's own error code (Twilio's, e.g. 21211 or 21610) when it gave one, whether
 * trying again later may succeed, and whether the outcome is unknown: a request that left this process
 * but whose answer never came back may or may not have created a message at the provider.
 */
public class SmsSendException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    private final Integer providerCode;
    private final int httpStatus;
    private final boolean retryable;
    private final boolean outcomeUnknown;

    public SmsSendException(String message, Integer providerCode, int httpStatus, boolean retryable,
                            boolean outcomeUnknown, Throwable cause) {
        super(ErrorCode.TWILIO_ERROR, message, cause);
        this.providerCode = providerCode;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
        this.outcomeUnknown = outcomeUnknown;
    }

    public SmsSendException(String message, Integer providerCode, int httpStatus, boolean retryable) {
        this(message, providerCode, httpStatus, retryable, false, null);
    }

    /** The provider's error code (Twilio's numeric code), or {@code null} when it gave none. */
    public Integer providerCode() {
        return providerCode;
    }

    /** The HTTP status of the provider's answer, or 0 when no answer arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Whether sending the same message again later may succeed (429, 5xx, connection failures). */
    public boolean retryable() {
        return retryable;
    }

    /** Whether the request may have reached the provider and created a message although no answer came. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** Whether the provider reports that the recipient has opted out (Twilio error 21610). */
    public boolean recipientOptedOut() {
        return providerCode != null && providerCode == 21610;
    }

    /**
     * The code to store on the message: the provider's code if any; {@code outcome_unknown} when the
     * request may have created a message (staff should check before resending); else {@code twilio_error}.
     */
    public String storedErrorCode() {
        if (providerCode != null) {
            return providerCode.toString();
        }
        return outcomeUnknown ? "outcome_unknown" : code();
    }
}
