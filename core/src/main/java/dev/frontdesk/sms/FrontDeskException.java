package dev.frontdesk.sms;

import java.util.Objects;

/**
 * Base of every exception this library throws on purpose.
 *
 * <p>Each carries a stable {@link #errorCode()} from the public contract, such as
 * {@link ErrorCode#INVALID_PHONE_NUMBER} or {@link ErrorCode#OPTED_OUT}, so an adapter can turn it into a status
 * code and a JSON error without parsing messages. Messages are written for a person and never contain secrets or
 * full customer phone numbers.
 */
public class FrontDeskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public FrontDeskException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public FrontDeskException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The contract's error code, with its HTTP status. */
    public ErrorCode errorCode() {
        return code;
    }

    /** The contract's error code as it appears in JSON, e.g. {@code invalid_request}. */
    public String code() {
        return code.wireName();
    }
}
