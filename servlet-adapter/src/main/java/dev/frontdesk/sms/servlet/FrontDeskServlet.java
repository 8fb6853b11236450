package dev.frontdesk.sms.servlet;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.http.FrontDeskHttpHandler;
import dev.frontdesk.sms.http.HttpResponse;
import dev.frontdesk.sms.http.StaffAuthorizer;
import dev.frontdesk.sms.servlet.internal.ServletEventSink;
import dev.frontdesk.sms.servlet.internal.ServletRequestAdapter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front desk's webhooks and staff API as a Jakarta Servlet 6 servlet: a thin adapter over core's
 * {@link FrontDeskHttpHandler}, which holds every rule; this class only reads the request (its body without
 * blocking) and writes the {@link HttpResponse}. Mount it at {@code /} or under a prefix such as
 * {@code /sms/*}; the API's paths ({@code /api/...}) are relative to the mount point, and the public base
 * URL must name the same place.
 *
 * <pre>{@code
 * FrontDeskServlet servlet = FrontDeskServlet.builder(frontDesk).build();
 * ServletHolder holder = new ServletHolder(servlet);
 * holder.setAsyncSupported(true);
 * context.addServlet(holder, "/*");
 * }</pre>
 *
 * <p><b>Slow bodies.</b> Register it with async support (as above; Spring Boot's {@code ServletRegistrationBean}
 * has it on by default). A body that has arrived whole with its headers (a webhook's small form, nearly always) is
 * read at once, on the request's thread; any other is read with a non-blocking {@link ReadListener}: no container
 * thread waits while a client sends it, and a body that has not arrived within the {@linkplain Builder#bodyTimeout
 * body deadline} (default 5 s) is answered 408 {@code request_timeout} and the connection closed. Such a request is
 * then handled in an async dispatch, so filters in front of the servlet that must see it should be mapped for
 * {@code ASYNC} dispatches too. Without async support the body is read the blocking way, where a slow client holds a
 * container thread until the container's own idle timeout; this is logged once.
 *
 * <p><b>Live events.</b> {@code GET /api/events/stream} stays open: the servlet answers it in async mode with
 * non-blocking writes ({@code WriteListener}), so an open dashboard holds a connection but no thread. It needs async
 * support; without it the stream is refused with 503. Heartbeats keep it within the container's idle timeout.
 *
 * <p>Thread-safe.
 */
public final class FrontDeskServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(FrontDeskServlet.class);

    /** Default time a client has to send its whole request body. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(5);

    /** Where the body read by the {@link ReadListener} waits for the async dispatch that handles it. */
    private static final String BODY = FrontDeskServlet.class.getName() + ".body";
    private static final String INCOMPLETE_BODY = "The request body could not be read completely; send it again.";

    private final transient FrontDeskHttpHandler handler;
    private final long bodyTimeoutMillis;
    private final AtomicBoolean warnedBlocking = new AtomicBoolean();
    private final AtomicBoolean warnedNoStreams = new AtomicBoolean();

    /** A servlet over a handler built elsewhere, with the default body deadline. */
    public FrontDeskServlet(FrontDeskHttpHandler handler) {
        this(handler, DEFAULT_BODY_TIMEOUT);
    }

    private FrontDeskServlet(FrontDeskHttpHandler handler, Duration bodyTimeout) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.bodyTimeoutMillis = bodyTimeout.toMillis();
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
        if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(BODY) instanceof byte[] body) {
            request.removeAttribute(BODY);
            write(request, response, handler.handle(new ServletRequestAdapter(request, body)));
            return;
        }
        if (!mayCarryBody(request) || request.getContentLengthLong() == 0
                || request.getContentLengthLong() > handler.maxBodyBytes()) {
            // Nothing to read, or a body the handler refuses (401, 413, ...) before reading a byte of it.
            write(request, response, handler.handle(new ServletRequestAdapter(request)));
            return;
        }
        byte[] arrived = bodyIfArrived(request);
        if (arrived != null) {
            write(request, response, arrived.length == request.getContentLengthLong()
                    ? handler.handle(new ServletRequestAdapter(request, arrived))
                    : HttpResponse.error(ErrorCode.INVALID_REQUEST, INCOMPLETE_BODY, Map.of()));
            return;
        }
        if (!request.isAsyncSupported()) {
            if (warnedBlocking.compareAndSet(false, true)) {
                log.warn("⚠️  FrontDeskServlet is registered without async support, so request bodies are read blocking and a "
                        + "client that sends slowly holds a container thread; register it with asyncSupported=true");
            }
            write(request, response, handler.handle(new ServletRequestAdapter(request)));
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(bodyTimeoutMillis);
        BodyReader reader = new BodyReader(async, request.getInputStream(), handler.maxBodyBytes());
        async.addListener(reader);
        request.getInputStream().setReadListener(reader);
    }

    /**
     * The whole body, when its length is announced and every byte of it has arrived with the headers (what a webhook's
     * small form almost always does): read here, without waiting, so it needs no async cycle and no second dispatch.
     * Otherwise null, having read nothing, and the body is collected as it arrives (with its deadline).
     */
    private static byte[] bodyIfArrived(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        if (length <= 0) {
            return null; // chunked: its end is known only once it has come
        }
        ServletInputStream in = request.getInputStream();
        if (in.available() < length) {
            return null;
        }
        byte[] body = new byte[(int) length]; // at most the handler's cap, checked by the caller
        int read = in.readNBytes(body, 0, body.length); // all buffered already: returns without blocking
        return read == body.length ? body : Arrays.copyOf(body, read); // shorter: the client closed early
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    /** Methods whose requests the handler reads a body of. */
    private static boolean mayCarryBody(HttpServletRequest request) {
        String method = request.getMethod();
        return "POST".equals(method) || "PATCH".equals(method) || "PUT".equals(method);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, HttpResponse answer)
            throws IOException {
        if (answer.isStreamed()) {
            stream(request, response, answer);
            return;
        }
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

    /** Keeps the response open in async mode and hands it to the answer's stream (see {@link ServletEventSink}). */
    private void stream(HttpServletRequest request, HttpServletResponse response, HttpResponse answer) throws IOException {
        if (!request.isAsyncSupported() && !request.isAsyncStarted()) {
            answer.stream().closed();
            if (warnedNoStreams.compareAndSet(false, true)) {
                log.warn("⚠️  FrontDeskServlet is registered without async support, so live event streams are refused; "
                        + "register it with asyncSupported=true");
            }
            write(request, response, HttpResponse.error(ErrorCode.UNAVAILABLE, "Live events need the servlet registered with "
                    + "async support; the dashboard polls instead.", Map.of()));
            return;
        }
        response.setStatus(answer.status());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        AsyncContext async = request.isAsyncStarted() ? request.getAsyncContext() : request.startAsync();
        try {
            ServletEventSink.start(async, answer.stream());
        } catch (IOException | RuntimeException e) {
            answer.stream().closed();
            async.complete();
            throw e;
        }
    }

    /**
     * Collects a body as it arrives, without blocking, up to one byte past the cap (enough for the handler to
     * answer 413 at the point of its checks where it always did), then hands it to an async dispatch. Exactly one
     * of: the dispatch, the 408 at the deadline, or the 400 on a read error happens.
     */
    private final class BodyReader implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final ServletInputStream in;
        private final int cap;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] chunk = new byte[8192];
        private final AtomicBoolean settled = new AtomicBoolean();

        BodyReader(AsyncContext async, ServletInputStream in, int cap) {
            this.async = async;
            this.in = in;
            this.cap = cap;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!settled.get() && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    onAllDataRead();
                    return;
                }
                body.write(chunk, 0, n);
                if (body.size() > cap) {
                    // Enough to know it is too large; the rest is never read and the connection is closed after the 413.
                    dispatch();
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            dispatch();
        }

        private void dispatch() {
            if (settled.compareAndSet(false, true)) {
                async.getRequest().setAttribute(BODY, body.toByteArray());
                async.dispatch();
            }
        }

        @Override
        public void onError(Throwable t) {
            fail(ErrorCode.INVALID_REQUEST, INCOMPLETE_BODY);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            fail(ErrorCode.REQUEST_TIMEOUT, "The request body did not arrive within " + seconds(bodyTimeoutMillis)
                    + " s of the request; send it again in one go.");
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // nothing to clean up
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }

        private void fail(ErrorCode code, String message) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            try {
                if (!response.isCommitted()) {
                    HttpResponse answer = HttpResponse.error(code, message, Map.of());
                    for (Map.Entry<String, String> h : answer.headers().entrySet()) {
                        response.setHeader(h.getKey(), h.getValue());
                    }
                    response.setStatus(answer.status());
                    response.setHeader("Connection", "close");
                    response.setContentLength(answer.body().length);
                    response.getOutputStream().write(answer.body());
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Could not answer a request whose body did not arrive: {}", e.toString());
            } finally {
                async.complete();
            }
        }
    }

    /** Builds a {@link FrontDeskServlet}; see {@link FrontDeskHttpHandler.Builder} for each setting. Not thread-safe. */
    public static final class Builder {
        private final FrontDeskHttpHandler.Builder handler;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;

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

        /** @see FrontDeskHttpHandler.Builder#maxEventStreams(int) */
        public Builder maxEventStreams(int streams) {
            handler.maxEventStreams(streams);
            return this;
        }

        /** @see FrontDeskHttpHandler.Builder#eventHeartbeat(Duration) */
        public Builder eventHeartbeat(Duration heartbeat) {
            handler.eventHeartbeat(heartbeat);
            return this;
        }

        /**
         * How long a client has to send its whole request body (default 5 s, from 1 s to 5 min); later gets
         * 408 {@code request_timeout} and the connection is closed. Applies when the servlet is registered with
         * async support.
         */
        public Builder bodyTimeout(Duration timeout) {
            this.bodyTimeout = Objects.requireNonNull(timeout, "bodyTimeout");
            return this;
        }

        /** @throws IllegalStateException naming the setting that is wrong */
        public FrontDeskServlet build() {
            if (bodyTimeout.compareTo(Duration.ofSeconds(1)) < 0 || bodyTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalStateException("bodyTimeout must be from 1 s to 5 min, was " + bodyTimeout + ".");
            }
            return new FrontDeskServlet(handler.build(), bodyTimeout);
        }
    }
}
