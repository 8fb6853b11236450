package dev.frontdesk.sms;

import java.util.Objects;

/**
 * Base of every exception this library throws on purpose.
 *
 * <p>Each carries a stable {@link #code()} that is part of the public contract (the {@code code} of the JSON error), such as
 * {@code invalid_phone_number} or {@code opted_out}, so an adapter can turn it into a status code and a
 * JSON error without parsing messages. Messages are written for a person and never contain secrets or
 * full customer phone numbers.
 */
public class FrontDeskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public FrontDeskException(String code, String message) {
        this(code, message, null);
    }

    public FrontDeskException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The contract's error code, e.g. {@code invalid_request}. */
    public String code() {
        return code;
    }
}
