package dev.frontdesk.sms.twilio.internal;

import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * The official Twilio SDK's {@link HttpClient} over one shared {@link OkHttpClient}.
 *
 * <ul>
 *   <li>Rewrites {@code https://api.twilio.com} (and every other {@code *.twilio.com} host the SDK builds)
 *       to the configured base URL, so tests and contract mocks receive the SDK's real requests.</li>
 *   <li>Never retries on its own: {@link #reliableRequest(Request)} makes exactly one attempt (the SDK's
 *       default would sleep and retry 5xx on the calling thread); the gateway's retry loop decides.</li>
 *   <li>Never logs the {@code Authorization} header (it logs nothing at all).</li>
 *   <li>Records, per thread, what happened on the wire ({@link Attempt}): the HTTP status, the
 *       {@code Retry-After} header, and whether the request had started to leave this process when a
 *       transport failure struck. The SDK's exceptions do not carry these.</li>
 * </ul>
 *
 * <p>Thread-safe: the OkHttp client is shared; the attempt record is thread-confined.
 */
public final class OkHttpTwilioHttpClient extends HttpClient {

    private static final String TWILIO_SUFFIX = ".twilio.com";
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded; charset=utf-8");
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String USER_AGENT = "frontdesk-sms (twilio-java 13; okhttp)";

    private final OkHttpClient http;
    private final String baseUrl;
    private final ThreadLocal<Attempt> current = new ThreadLocal<>();

    /**
     * @param http    the shared client; its timeouts apply. OkHttp's own silent retry is switched off for
     *                calls made here, because a silently repeated POST could send an SMS twice.
     * @param baseUrl replaces {@code https://api.twilio.com}, e.g. {@code http://127.0.0.1:4010}; no trailing slash
     */
    public OkHttpTwilioHttpClient(OkHttpClient http, String baseUrl) {
        this.http = Objects.requireNonNull(http, "http");
        String b = Objects.requireNonNull(baseUrl, "baseUrl").strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        this.baseUrl = b;
    }

    /** What one attempt saw; mutable, confined to the thread that made it. */
    public static final class Attempt {
        volatile boolean requestSent;
        volatile int httpStatus;
        volatile String retryAfter;
        volatile String successBody;

        /** Whether the request had started to leave this process (headers being written) before it failed. */
        public boolean requestSent() {
            return requestSent;
        }

        /** HTTP status of the answer, 0 when none arrived. */
        public int httpStatus() {
            return httpStatus;
        }

        /** The raw body of a 2xx answer (null otherwise), for a tolerant second reading when the SDK cannot parse it. */
        public String successBody() {
            return successBody;
        }

        /** The raw {@code Retry-After} header of the answer, or null (parse with {@link RetryAfter}). */
        public String retryAfterHeader() {
            return retryAfter;
        }
    }

    /** Starts recording a new attempt on this thread and returns its record. */
    public Attempt beginAttempt() {
        Attempt a = new Attempt();
        current.set(a);
        return a;
    }

    /** Stops recording on this thread. */
    public void endAttempt() {
        current.remove();
    }

    /** One attempt, no retries: the caller's retry loop owns backoff. */
    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        Attempt attempt = current.get();
        if (attempt == null) {
            attempt = new Attempt();
        }
        okhttp3.Request okRequest = toOkHttp(request);
        Attempt a = attempt;
        OkHttpClient client = http.newBuilder()
                .retryOnConnectionFailure(false)
                .eventListener(new EventListener() {
                    @Override
                    public void requestHeadersStart(Call call) {
                        a.requestSent = true;
                    }
                })
                .build();
        try (okhttp3.Response response = client.newCall(okRequest).execute()) {
            a.httpStatus = response.code();
            a.retryAfter = response.header("Retry-After");
            Header[] headers = response.headers().names().stream()
                    .map(n -> new BasicHeader(n, response.header(n)))
                    .toArray(Header[]::new);
            String body = response.body().string();
            if (response.isSuccessful()) {
                a.successBody = body;
            }
            return new Response(body, response.code(), headers);
        } catch (IOException e) {
            throw new TransportException(describe(e), a.requestSent, e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof InterruptedIOException) {
            return "Twilio did not answer in time (" + e.getClass().getSimpleName() + ")";
        }
        return "Could not reach Twilio (" + e.getClass().getSimpleName() + ")";
    }

    private okhttp3.Request toOkHttp(Request request) {
        URL url = request.constructURL();
        okhttp3.Request.Builder b = new okhttp3.Request.Builder().url(rewrite(url.toString()));
        for (Map.Entry<String, List<String>> h : request.getHeaderParams().entrySet()) {
            for (String v : h.getValue()) {
                b.addHeader(h.getKey(), v);
            }
        }
        if (request.requiresAuthentication()) {
            b.header("Authorization", request.getAuthString());
        }
        b.header("User-Agent", USER_AGENT);
        b.header("Accept", "application/json");
        b.header("Accept-Encoding", "utf-8");
        HttpMethod method = request.getMethod();
        RequestBody body = null;
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            if (request.getContentType() != null && "application/json".equals(request.getContentType().getValue())) {
                String json = request.getBody();
                body = RequestBody.create(json == null ? "" : json, JSON);
            } else {
                String form = request.encodeFormBody();
                body = RequestBody.create(form == null ? "" : form, FORM);
            }
        }
        return b.method(method.toString(), body).build();
    }

    /**
     * Replaces the scheme and host of an {@code https://*.twilio.com} URL with the base URL.
     *
     * @throws IllegalArgumentException for any other URL: the account's credentials go to Twilio (or the
     *                                  configured stand-in) only, never to a host named in an answer
     */
    public String rewrite(String url) {
        if (url.startsWith("https://")) {
            int slash = url.indexOf('/', "https://".length());
            String host = slash < 0 ? url.substring(8) : url.substring(8, slash);
            String hostOnly = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
            if (hostOnly.endsWith(TWILIO_SUFFIX) && hostOnly.matches("[A-Za-z0-9.-]+")) {
                return baseUrl + (slash < 0 ? "" : url.substring(slash));
            }
        }
        throw new IllegalArgumentException("Refusing to send Twilio credentials to a URL outside twilio.com");
    }

    /**
     * A transport failure: no HTTP answer arrived. {@link #requestSent()} tells whether Twilio may have
     * received the request (and created a message) anyway.
     */
    public static final class TransportException extends ApiConnectionException {
        private static final long serialVersionUID = 1L;
        private final boolean requestSent;

        TransportException(String message, boolean requestSent, Throwable cause) {
            super(message, cause);
            this.requestSent = requestSent;
        }

        public boolean requestSent() {
            return requestSent;
        }
    }
}
