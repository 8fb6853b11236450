package dev.frontdesk.sms.http;

import dev.frontdesk.sms.http.internal.BearerKeyAuthorizer;
import java.util.Objects;

/**
 * Decides whether a request to a staff endpoint ({@code /api/leads...}, {@code /api/twilio/sms/outbound},
 * {@code /api/twilio/status}) may proceed. A refused request gets 401 {@code unauthorized}.
 *
 * <p>The default is {@link #bearerKey(String)} with {@code FRONTDESK_API_KEY}. A host with its own login
 * plugs in its own check, for example one that reads the servlet request:
 * <pre>{@code
 * StaffAuthorizer staffOnly = request -> request.unwrap(HttpServletRequest.class).isUserInRole("staff");
 * }</pre>
 * Implementations must be thread-safe; they run on the request thread for every staff request.
 */
@FunctionalInterface
public interface StaffAuthorizer {

    /** Refuses every request: the staff API is switched off. */
    StaffAuthorizer DENY_ALL = request -> false;

    /**
     * Whether the request may use the staff API.
     *
     * @param request the request, headers readable; its body must not be read here
     */
    boolean isAuthorized(HttpRequest request);

    /**
     * Accepts exactly {@code Authorization: Bearer <key>}. The comparison takes the same time whatever the
     * header holds (SHA-256 of both, then {@link java.security.MessageDigest#isEqual}). The key is never
     * read from the URL.
     *
     * @throws IllegalArgumentException if the key is null or blank
     */
    static StaffAuthorizer bearerKey(String key) {
        return new BearerKeyAuthorizer(key);
    }

    /** This check, or else {@code other}: e.g. an API key for scripts or the dashboard's session. */
    default StaffAuthorizer or(StaffAuthorizer other) {
        Objects.requireNonNull(other, "other");
        return request -> isAuthorized(request) || other.isAuthorized(request);
    }
}
