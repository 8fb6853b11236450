package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.FrontDeskException;
import java.util.Map;

/**
 * A refusal of the HTTP layer itself (wrong method, body, signature, key...), answered with its code's status and
 * the contract's JSON, plus any headers it names ({@code Allow}, {@code WWW-Authenticate}, {@code Retry-After}).
 * Thrown inside the handler only; cheap (no stack trace), as attackers can make many.
 */
public final class ApiError extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> headers;

    public ApiError(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ApiError(ErrorCode code, String message, Map<String, String> headers) {
        super(code, message);
        this.headers = Map.copyOf(headers);
    }

    /** Headers to send with the error. */
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
