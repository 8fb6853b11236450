package dev.frontdesk.sms.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * One HTTP request as the {@link FrontDeskHttpHandler} needs it. Implementations adapt a container's request
 * object; they need not be thread-safe (one request, one thread).
 */
public interface HttpRequest {
    /** The HTTP method in upper case, e.g. {@code POST}. */
    String method();

    /** The decoded path relative to where the handler is mounted, starting with {@code /}. */
    String path();

    /** The query string as received (still percent-encoded), or null when there is none. */
    String rawQuery();

    /** The first value of a header (name in any case), or null. */
    String header(String name);

    /** The body length from {@code Content-Length}, or -1 when unknown (chunked). */
    long contentLength();

    /**
     * The address of the client (the connection's peer), used to throttle wrong staff keys per address; null
     * when unknown, and then not throttled.
     */
    default String remoteAddress() {
        return null;
    }

    /** The body; read at most once. */
    InputStream body() throws IOException;

    /**
     * The URL as the container saw it, without query: scheme, host, port and the full path including any
     * context path and servlet prefix. Used only with trusted {@code X-Forwarded-*} headers.
     */
    String requestUrl();

    /**
     * The container's own request object (e.g. {@code HttpServletRequest}), for a {@link StaffAuthorizer}
     * that needs the host's session or roles.
     *
     * @throws IllegalArgumentException if this request does not wrap an instance of {@code type}
     */
    default <T> T unwrap(Class<T> type) {
        throw new IllegalArgumentException("This request does not wrap a " + type.getName() + ".");
    }
}
