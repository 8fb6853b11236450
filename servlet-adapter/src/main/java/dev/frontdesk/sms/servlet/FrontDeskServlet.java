package dev.frontdesk.sms.servlet;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.servlet.internal.ServletRequestAdapter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;

/**
 * The front desk's webhooks and staff API as a Jakarta Servlet 6 servlet: a thin adapter over
 * {@link FrontDeskHttpHandler}, which holds every rule. Mount it at {@code /} or under a prefix such as
 * {@code /sms/*}; the API's paths ({@code /api/...}) are relative to the mount point, and the public base
 * URL must name the same place.
 *
 * <pre>{@code
 * FrontDeskServlet servlet = FrontDeskServlet.builder(frontDesk).build();
 * context.addServlet(new ServletHolder(servlet), "/*");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FrontDeskServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient FrontDeskHttpHandler handler;

    /** A servlet over a handler built elsewhere. */
    public FrontDeskServlet(FrontDeskHttpHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** A builder with the settings of {@link FrontDeskHttpHandler.Builder}. */
    public static Builder builder(FrontDesk frontDesk) {
        return new Builder(frontDesk);
    }

    /** The handler this servlet delegates to. */
    public FrontDeskHttpHandler handler() {
        return handler;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        FrontDeskHttpHandler.Response answer = handler.handle(new ServletRequestAdapter(request));
        response.setStatus(answer.status());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        if (answer.status() >= 400 && request.getContentLengthLong() != 0) {
            // A refusal may come before the request body was read (wrong key, too large, wrong type): close the
            // connection rather than leave unread bytes on it for the next request to trip over.
            response.setHeader("Connection", "close");
        }
        response.setContentLength(answer.body().length);
        if (answer.body().length > 0 && !"HEAD".equals(request.getMethod())) {
            try (OutputStream out = response.getOutputStream()) {
                out.write(answer.body());
            }
        }
    }

    /** Builds a {@link FrontDeskServlet}; see {@link FrontDeskHttpHandler.Builder} for each setting. Not thread-safe. */
    public static final class Builder {
        private final FrontDeskHttpHandler.Builder handler;

        private Builder(FrontDesk frontDesk) {
            this.handler = FrontDeskHttpHandler.builder(frontDesk);
        }

        /** @see FrontDeskHttpHandler.Builder#apiKey(String) */
        public Builder apiKey(String key) {
            handler.apiKey(key);
            return this;
        }

        /** @see FrontDeskHttpHandler.Builder#authorizer(StaffAuthorizer) */
        public Builder authorizer(StaffAuthorizer authorizer) {
            handler.authorizer(authorizer);
            return this;
        }

        /** @see FrontDeskHttpHandler.Builder#signingToken(String) */
        public Builder signingToken(String token) {
            handler.signingToken(token);
            return this;
        }

        /** @see FrontDeskHttpHandler.Builder#publicBaseUrl(String) */
        public Builder publicBaseUrl(String url) {
            handler.publicBaseUrl(url);
            return this;
        }

        /** @see FrontDeskHttpHandler.Builder#trustForwardedHeaders(boolean) */
        public Builder trustForwardedHeaders(boolean trust) {
            handler.trustForwardedHeaders(trust);
            return this;
        }

        /** @see FrontDeskHttpHandler.Builder#maxWebhookBytes(int) */
        public Builder maxWebhookBytes(int bytes) {
            handler.maxWebhookBytes(bytes);
            return this;
        }

        /** @see FrontDeskHttpHandler.Builder#maxJsonBytes(int) */
        public Builder maxJsonBytes(int bytes) {
            handler.maxJsonBytes(bytes);
            return this;
        }

        /** @throws IllegalStateException naming the setting that is wrong */
        public FrontDeskServlet build() {
            return new FrontDeskServlet(handler.build());
        }
    }
}
