package dev.frontdesk.sms.http;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.http.internal.ErrorMapping;
import dev.frontdesk.sms.http.internal.EventStreams;
import dev.frontdesk.sms.http.internal.HealthEndpoint;
import dev.frontdesk.sms.http.internal.RouteTable;
import dev.frontdesk.sms.http.internal.SignedWebhooks;
import dev.frontdesk.sms.http.internal.StaffEndpoints;
import dev.frontdesk.sms.http.internal.StaffGate;
import dev.frontdesk.sms.http.internal.WebhookEndpoints;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API over a {@link FrontDesk}, independent of any servlet container: an {@link HttpRequest} (method, path,
 * headers, query, body) goes in, an {@link HttpResponse} (status, headers, body) comes out. The servlet module's
 * {@code FrontDeskServlet} adapts it to Jakarta Servlet; another server (the JDK's {@code HttpServer}, Netty, ...)
 * needs only its own small adapter.
 *
 * <p>Endpoints, relative to where the handler is mounted:
 * <ul>
 *   <li>{@code POST /api/twilio/sms/inbound}, {@code POST /api/twilio/sms/status}: Twilio's webhooks, form
 *       encoded, checked against {@code X-Twilio-Signature} for the public URL (403 {@code invalid_signature}).</li>
 *   <li>{@code POST /api/twilio/sms/outbound}, {@code GET /api/leads}, {@code GET /api/leads/{leadId}}, {@code GET /api/leads/{leadId}/sms},
 *       {@code PATCH /api/leads/{leadId}}, {@code POST /api/leads/{leadId}/ai}, {@code GET /api/usage},
 *       {@code GET /api/twilio/status}: the staff API, behind the {@link StaffAuthorizer} (401 {@code unauthorized};
 *       429 {@code rate_limited} for an address after {@value #KEY_FAILURE_BURST} wrong keys).</li>
 *   <li>{@code GET /api/events/stream}: staff too; Server-Sent Events, one per change to a lead or message, kept open
 *       (an {@link HttpResponse#stream() EventStream} the adapter writes over time; at most
 *       {@linkplain Builder#maxEventStreams open at once}, 503 {@code unavailable} past that).</li>
 *   <li>{@code GET /api/health}: 200 while the store answers, 503 otherwise; open, and says nothing more.</li>
 * </ul>
 * Every error is {@code {"error": {"code": "...", "message": "..."}}} with the status of its
 * {@link dev.frontdesk.sms.ErrorCode}; a code whose status is 500, or any unexpected exception, is
 * {@code internal_error} with the details only in the log. {@link #handle} never throws.
 *
 * <p>Thread-safe; one instance serves all requests.
 */
public final class FrontDeskHttpHandler {
    private static final Logger log = LoggerFactory.getLogger(FrontDeskHttpHandler.class);

    /** Default cap on a Twilio webhook body: far above the largest real one (1,600 characters, 10 media URLs). */
    public static final int DEFAULT_MAX_WEBHOOK_BYTES = 64 * 1024;
    /** Default cap on a staff JSON body: a 1,600-character message fits many times over. */
    public static final int DEFAULT_MAX_JSON_BYTES = 32 * 1024;
    /** Default and largest {@code limit} of the list endpoints. */
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** Wrong staff keys an address may send at once before it is throttled. */
    public static final int KEY_FAILURE_BURST = 10;
    /** After the burst, one more try per this long. */
    public static final Duration KEY_FAILURE_REFILL = Duration.ofSeconds(6);
    /** Default cap on live event streams open at once on this handler. */
    public static final int DEFAULT_MAX_EVENT_STREAMS = 200;
    /**
     * Default time between the comment lines that keep an idle event stream open: under the 30 s or more after
     * which proxies and containers commonly close a connection on which nothing moves (the example app: 20 s).
     */
    public static final Duration DEFAULT_EVENT_HEARTBEAT = Duration.ofSeconds(15);

    private static final String INBOUND = FrontDeskConfig.INBOUND_PATH;
    private static final String STATUS = FrontDeskConfig.STATUS_PATH;
    private static final String VOICE = FrontDeskConfig.VOICE_INBOUND_PATH;
    private static final String DIAL_STATUS = FrontDeskConfig.VOICE_DIAL_STATUS_PATH;

    /** The refusals a webhook's metrics name; any other status is tagged {@code error}. */
    private static final List<ErrorCode> WEBHOOK_REJECTIONS = List.of(ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_SIGNATURE,
            ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UNAVAILABLE);

    private final FrontDesk frontDesk;
    private final String publicBaseUrl;
    private final int maxBodyBytes;
    private final SignedWebhooks signedWebhooks;
    private final RouteTable routes;
    private final EventStreams events;

    private FrontDeskHttpHandler(FrontDesk frontDesk, StaffAuthorizer authorizer, String signingToken, String publicBaseUrl,
                                 boolean trustForwardedHeaders, int maxWebhookBytes, int maxJsonBytes, int maxEventStreams,
                                 Duration eventHeartbeat) {
        this.frontDesk = frontDesk;
        this.publicBaseUrl = publicBaseUrl;
        this.maxBodyBytes = Math.max(maxWebhookBytes, maxJsonBytes);
        this.signedWebhooks = new SignedWebhooks(signingToken, publicBaseUrl, trustForwardedHeaders, maxWebhookBytes);
        WebhookEndpoints webhooks = new WebhookEndpoints(frontDesk, signedWebhooks, publicBaseUrl + DIAL_STATUS);
        StaffGate gate = new StaffGate(authorizer, trustForwardedHeaders, frontDesk::now);
        StaffEndpoints staff = new StaffEndpoints(frontDesk, gate, maxJsonBytes, publicBaseUrl + INBOUND, publicBaseUrl + VOICE);
        this.events = new EventStreams(frontDesk, gate, maxEventStreams, eventHeartbeat);
        HealthEndpoint health = new HealthEndpoint(frontDesk);
        // A new endpoint: a method on the endpoints class of its caller, and one line here.
        this.routes = new RouteTable()
                .exact("POST", INBOUND, webhooks::inbound)
                .exact("POST", STATUS, webhooks::status)
                .exact("POST", VOICE, webhooks::call)
                .exact("POST", DIAL_STATUS, webhooks::dialStatus)
                .exact("POST", "/api/twilio/sms/outbound", staff::outbound)
                .exact("GET", "/api/leads", staff::leads)
                .exact("GET", "/api/twilio/status", staff::setup)
                .exact("GET", "/api/health", health::health)
                .exact("GET", "/api/usage", staff::usage)
                .exact("GET", "/api/events/stream", events::stream)
                .exact("GET", "/api/events", staff::events)
                .pattern("GET", "/api/leads/([^/]*)/sms", staff::history)
                .pattern("POST", "/api/leads/([^/]*)/ai", staff::aiSwitch)
                .pattern("GET", "/api/leads/([^/]+)", staff::lead)
                .pattern("PATCH", "/api/leads/([^/]+)", staff::patchLead);
    }

    /** A builder over {@code frontDesk}; every setting has a working default from its configuration. */
    public static Builder builder(FrontDesk frontDesk) {
        return new Builder(frontDesk);
    }

    /** The most body bytes any endpoint accepts: an adapter reading bodies ahead need not read more than one past it. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The public URL webhooks are validated against, e.g. {@code https://abc123.ngrok.io}. */
    public String publicBaseUrl() {
        return publicBaseUrl;
    }

    /** Live event streams open now ({@code GET /api/events/stream}). */
    public int openEventStreams() {
        return events.openCount();
    }

    /** The URL a webhook's signature is checked against (tests). */
    String webhookUrl(HttpRequest request) {
        return signedWebhooks.url(request);
    }

    /** Answers one request; never throws: every failure becomes the contract's JSON error. */
    public HttpResponse handle(HttpRequest request) {
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        String path = request.path() == null || request.path().isEmpty() ? "/" : request.path();
        HttpResponse response;
        try {
            response = routes.dispatch(method, path, request);
        } catch (RuntimeException e) {
            response = ErrorMapping.answer(method, path, e);
        }
        String kind = INBOUND.equals(path) ? "inbound" : STATUS.equals(path) ? "status"
                : VOICE.equals(path) ? "voice" : DIAL_STATUS.equals(path) ? "dial_status" : null;
        if (kind != null) {
            if (response.status() == 200) {
                frontDesk.webhookReceived(kind);
            } else {
                frontDesk.webhookRejected(kind, rejection(response.status()));
            }
        }
        return response;
    }

    /** The metrics tag of a refused webhook: the code its status stands for, else {@code error}. */
    private static String rejection(int status) {
        for (ErrorCode code : WEBHOOK_REJECTIONS) {
            if (code.httpStatus() == status) {
                return code.wireName();
            }
        }
        return "error";
    }

    /** Builds a {@link FrontDeskHttpHandler}; checks every setting at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final FrontDesk frontDesk;
        private String apiKey;
        private boolean apiKeySet;
        private StaffAuthorizer authorizer;
        private String signingToken;
        private boolean signingTokenSet;
        private String publicBaseUrl;
        private boolean trustForwardedHeaders;
        private int maxWebhookBytes = DEFAULT_MAX_WEBHOOK_BYTES;
        private int maxJsonBytes = DEFAULT_MAX_JSON_BYTES;
        private int maxEventStreams = DEFAULT_MAX_EVENT_STREAMS;
        private Duration eventHeartbeat = DEFAULT_EVENT_HEARTBEAT;

        private Builder(FrontDesk frontDesk) {
            this.frontDesk = Objects.requireNonNull(frontDesk, "frontDesk");
        }

        /**
         * The staff bearer key, usually {@code FRONTDESK_API_KEY}; the front desk's configuration holds no
         * secret, so the host passes it here. With neither a key nor an {@link #authorizer}, every staff
         * request is refused.
         */
        public Builder apiKey(String key) {
            this.apiKey = key;
            this.apiKeySet = true;
            return this;
        }

        /** The host's own staff check, instead of the API key. Compose both with {@link StaffAuthorizer#or}. */
        public Builder authorizer(StaffAuthorizer authorizer) {
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /**
         * The secret webhook signatures are checked with: {@code TWILIO_AUTH_TOKEN}, or the example app's
         * local simulator's own secret. The front desk's configuration holds no secret, so the host passes it
         * here. Without one, every webhook is refused with 403.
         */
        public Builder signingToken(String token) {
            this.signingToken = token;
            this.signingTokenSet = true;
            return this;
        }

        /**
         * The public URL of where this handler is mounted, as Twilio calls it (default: {@code PUBLIC_BASE_URL}),
         * e.g. {@code https://abc123.ngrok.io} for a servlet at {@code /}, or {@code https://example.com/sms}
         * for one at {@code /sms/*}.
         */
        public Builder publicBaseUrl(String url) {
            this.publicBaseUrl = url;
            return this;
        }

        /**
         * Whether to rebuild the URL Twilio called from {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}
         * when they are present (default false). Turn on only behind a proxy that sets them, since clients
         * can send them too.
         */
        public Builder trustForwardedHeaders(boolean trust) {
            this.trustForwardedHeaders = trust;
            return this;
        }

        /** The largest webhook body accepted, in bytes (default 64 KiB); larger gets 413. */
        public Builder maxWebhookBytes(int bytes) {
            this.maxWebhookBytes = bytes;
            return this;
        }

        /** The largest staff JSON body accepted, in bytes (default 32 KiB); larger gets 413. */
        public Builder maxJsonBytes(int bytes) {
            this.maxJsonBytes = bytes;
            return this;
        }

        /**
         * The most live event streams ({@code GET /api/events/stream}) open at once (default
         * {@value FrontDeskHttpHandler#DEFAULT_MAX_EVENT_STREAMS}, from 1 to 100,000); one more gets 503
         * {@code unavailable} with {@code Retry-After}. Each open dashboard tab holds one.
         */
        public Builder maxEventStreams(int streams) {
            this.maxEventStreams = streams;
            return this;
        }

        /**
         * Time between the comment lines sent on an idle event stream (default 15 s, from 100 ms to 5 min): keep it
         * under the idle timeout of the container and of any proxy in front of it.
         */
        public Builder eventHeartbeat(Duration heartbeat) {
            this.eventHeartbeat = Objects.requireNonNull(heartbeat, "eventHeartbeat");
            return this;
        }

        /** @throws IllegalStateException naming the setting that is wrong */
        public FrontDeskHttpHandler build() {
            FrontDeskConfig config = frontDesk.config();
            if (apiKeySet && apiKey != null && authorizer != null) {
                throw new IllegalStateException("Give apiKey or authorizer, not both; combine them with "
                        + "StaffAuthorizer.bearerKey(key).or(authorizer).");
            }
            if (apiKeySet && apiKey != null && apiKey.isBlank()) {
                throw new IllegalStateException("apiKey must not be blank; leave it out (or null) to refuse every staff request.");
            }
            StaffAuthorizer staff = authorizer;
            if (staff == null) {
                String key = apiKeySet ? apiKey : null;
                if (key == null || key.isBlank()) {
                    log.warn("⚠️  Staff API disabled: no FRONTDESK_API_KEY and no authorizer; every staff request gets 401");
                    staff = StaffAuthorizer.DENY_ALL;
                } else {
                    staff = StaffAuthorizer.bearerKey(key);
                }
            }
            String token = signingTokenSet ? signingToken : null;
            if (token != null && token.isBlank()) {
                throw new IllegalStateException("signingToken must not be blank; leave it out to refuse every webhook.");
            }
            if (token == null) {
                log.warn("⚠️  Twilio webhooks will refuse every request: no TWILIO_AUTH_TOKEN to check signatures with");
            }
            String base = checkBaseUrl(publicBaseUrl != null ? publicBaseUrl : config.twilio().publicBaseUrl());
            if (!base.equals(config.twilio().publicBaseUrl())) {
                log.info("Webhooks are checked against {}, while StatusCallback URLs use PUBLIC_BASE_URL {}", base, config.twilio().publicBaseUrl());
            }
            if (maxWebhookBytes < 1024) {
                throw new IllegalStateException("maxWebhookBytes must be at least 1024, was " + maxWebhookBytes + ".");
            }
            if (maxJsonBytes < 1024) {
                throw new IllegalStateException("maxJsonBytes must be at least 1024, was " + maxJsonBytes + ".");
            }
            if (maxEventStreams < 1 || maxEventStreams > 100_000) {
                throw new IllegalStateException("maxEventStreams must be from 1 to 100000, was " + maxEventStreams + ".");
            }
            if (eventHeartbeat.toMillis() < 100 || eventHeartbeat.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalStateException("eventHeartbeat must be from 100 ms to 5 min, was " + eventHeartbeat + ".");
            }
            return new FrontDeskHttpHandler(frontDesk, staff, token, base, trustForwardedHeaders, maxWebhookBytes, maxJsonBytes,
                    maxEventStreams, eventHeartbeat);
        }

        private static String checkBaseUrl(String url) {
            String u = url == null ? "" : url.strip();
            while (u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
            }
            URI parsed;
            try {
                parsed = URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("publicBaseUrl is not a URL: '" + LogSafe.truncate(u, 80) + "'.");
            }
            if (!("http".equalsIgnoreCase(parsed.getScheme()) || "https".equalsIgnoreCase(parsed.getScheme()))
                    || parsed.getHost() == null || parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
                throw new IllegalStateException("publicBaseUrl must be an http:// or https:// URL without query, like "
                        + "https://abc123.ngrok.io; was '" + LogSafe.truncate(u, 80) + "'.");
            }
            return u;
        }
    }
}
