package dev.frontdesk.sms.servlet.internal;

import dev.frontdesk.sms.http.HttpRequest;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A servlet request seen as an {@link HttpRequest}. The body is read raw, never as parameters. */
public final class ServletRequestAdapter implements HttpRequest {
    private final HttpServletRequest request;
    private final byte[] body;

    /** A request whose body is read from the container's input stream. */
    public ServletRequestAdapter(HttpServletRequest request) {
        this(request, null);
    }

    /** A request whose body has been read already (possibly only its first bytes, past the cap). */
    public ServletRequestAdapter(HttpServletRequest request, byte[] body) {
        this.request = request;
        this.body = body;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    /**
     * The path below the servlet's mapping: the path info for a prefix mapping ({@code /sms/*}, {@code /*}),
     * the servlet path for the default mapping ({@code /}).
     */
    @Override
    public String path() {
        HttpServletMapping mapping = request.getHttpServletMapping();
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path;
        if (mapping != null && mapping.getMappingMatch() == MappingMatch.PATH) {
            path = pathInfo == null ? "/" : pathInfo;
        } else {
            path = servletPath + (pathInfo == null ? "" : pathInfo);
        }
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public String rawQuery() {
        return request.getQueryString();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public long contentLength() {
        return request.getContentLengthLong();
    }

    @Override
    public InputStream body() throws IOException {
        return body != null ? new ByteArrayInputStream(body) : request.getInputStream();
    }

    @Override
    public String requestUrl() {
        return request.getRequestURL().toString();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(request)) {
            return type.cast(request);
        }
        return HttpRequest.super.unwrap(type);
    }
}
