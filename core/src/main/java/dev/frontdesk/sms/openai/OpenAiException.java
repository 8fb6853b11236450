package dev.frontdesk.sms.openai;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.FrontDeskException;

/**
 * The OpenAI-compatible server gave no usable reply: an error answer, no answer before the deadline, an
 * unreadable answer, or an empty or refused one. The front desk then sends its fallback reply.
 *
 * <p>Messages never contain the API key or customer text.
 */
public final class OpenAiException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final boolean retryable;

    OpenAiException(String message, int httpStatus, boolean retryable, Throwable cause) {
        super(ErrorCode.AI_ERROR, message, cause);
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    /** The HTTP status of the server's answer, or 0 when none arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Whether asking again later may succeed (429, 5xx, timeouts, connection failures). */
    public boolean retryable() {
        return retryable;
    }
}
