package dev.frontdesk.sms.langchain4j;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.FrontDeskException;

/**
 * The LangChain4j model gave no usable reply: the provider failed (an HTTP error, a rate limit, a timeout), no
 * answer came before the deadline, or the answer was empty, filtered or refused. The front desk then sends its
 * fallback reply.
 *
 * <p>Messages never contain an API key or customer text.
 */
public final class LangChain4jReplyException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, without secrets or customer text; {@code cause} may be null */
    public LangChain4jReplyException(String message, Throwable cause) {
        super(ErrorCode.AI_ERROR, message, cause);
    }
}
