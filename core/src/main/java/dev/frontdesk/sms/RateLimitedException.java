package dev.frontdesk.sms;

import java.time.Duration;

/**
 * A cap on sending was reached (contract code {@code rate_limited}, HTTP 429), such as
 * {@code OUTBOUND_PER_MINUTE} for staff messages. Nothing was stored or sent.
 */
public class RateLimitedException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, message);
        this.retryAfter = retryAfter;
    }

    /** How long to wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
