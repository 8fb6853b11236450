package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.http.FrontDeskHttpHandler;
import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.http.StaffAuthorizer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staff check in front of every staff endpoint, throttled per client address: after
 * {@link FrontDeskHttpHandler#KEY_FAILURE_BURST} failures an address gets one more try per
 * {@link FrontDeskHttpHandler#KEY_FAILURE_REFILL}, and until then 429 whatever key it sends, so guessing is slow.
 * Refusals are logged at most once a minute, with the count of those held back. Thread-safe.
 */
public final class StaffGate {
    private static final Logger log = LoggerFactory.getLogger(FrontDeskHttpHandler.class);
    /** Client addresses whose failures are remembered at most (least recently seen forgotten first). */
    public static final int KEY_FAILURE_ADDRESSES = 10_000;

    private final StaffAuthorizer authorizer;
    private final boolean configured;
    private final boolean trustForwardedHeaders;
    private final Supplier<Instant> clock;
    private final FailureThrottle keyFailures = new FailureThrottle(FrontDeskHttpHandler.KEY_FAILURE_BURST,
            FrontDeskHttpHandler.KEY_FAILURE_REFILL, KEY_FAILURE_ADDRESSES);
    private final LogLimiter refusedLog = new LogLimiter(Duration.ofMinutes(1));
    private final LogLimiter throttledLog = new LogLimiter(Duration.ofMinutes(1));

    /**
     * @param authorizer            the host's check; {@link StaffAuthorizer#DENY_ALL} means the staff API is off
     * @param trustForwardedHeaders whether the last {@code X-Forwarded-For} entry names the client
     * @param clock                 the front desk's time, which the throttle runs on
     */
    public StaffGate(StaffAuthorizer authorizer, boolean trustForwardedHeaders, Supplier<Instant> clock) {
        this.authorizer = authorizer;
        this.configured = authorizer != StaffAuthorizer.DENY_ALL;
        this.trustForwardedHeaders = trustForwardedHeaders;
        this.clock = clock;
    }

    /**
     * Lets the request through or refuses it.
     *
     * @throws ApiError 401 {@code unauthorized} or 429 {@code rate_limited} with {@code Retry-After}
     */
    public void authorize(HttpRequest request) {
        if (!configured) {
            throw new ApiError(ErrorCode.UNAUTHORIZED, "The staff API is switched off because no API key is configured; set "
                    + "FRONTDESK_API_KEY (or give the servlet an apiKey or authorizer) and send 'Authorization: Bearer <key>'.",
                    Map.of("WWW-Authenticate", "Bearer"));
        }
        String address = clientAddress(request);
        Instant now = clock.get();
        if (address != null) {
            Duration wait = keyFailures.waitBeforeTrying(address, now);
            if (!wait.isZero()) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                long held = throttledLog.acquire(now);
                if (held >= 0) {
                    log.warn("⚠️  Staff requests from {} throttled after repeated wrong keys: 429 for {} s{}", LogSafe.truncate(address, 60),
                            seconds, held > 0 ? " (" + held + " more throttled since the last such line)" : "");
                }
                throw new ApiError(ErrorCode.RATE_LIMITED, "Too many wrong API keys from your address; wait " + seconds
                        + " s, then send the right key in 'Authorization: Bearer <key>'.", Map.of("Retry-After", Long.toString(seconds)));
            }
        }
        if (!authorizer.isAuthorized(request)) {
            if (address != null) {
                keyFailures.failed(address, now);
            }
            long held = refusedLog.acquire(now);
            if (held >= 0) {
                log.info("Staff request to {} refused: missing or wrong credentials{}", request.path(),
                        held > 0 ? " (" + held + " more refused since the last such line)" : "");
            }
            throw new ApiError(ErrorCode.UNAUTHORIZED, "Send your API key in the header 'Authorization: Bearer <key>' "
                    + "(FRONTDESK_API_KEY); keys in the URL are not accepted.", Map.of("WWW-Authenticate", "Bearer"));
        }
        if (address != null) {
            keyFailures.succeeded(address);
        }
    }

    /**
     * The client's address: behind a trusted proxy the last {@code X-Forwarded-For} entry (the one the proxy
     * itself added; earlier ones are the client's to invent), else the connection's peer.
     */
    private String clientAddress(HttpRequest request) {
        if (trustForwardedHeaders) {
            String forwarded = request.header("X-Forwarded-For");
            if (forwarded != null) {
                String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).strip();
                if (!last.isEmpty()) {
                    return LogSafe.truncate(last, 100);
                }
            }
        }
        return request.remoteAddress();
    }
}
