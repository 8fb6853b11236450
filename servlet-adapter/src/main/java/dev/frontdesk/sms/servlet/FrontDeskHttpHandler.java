package dev.frontdesk.sms.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskException;
import dev.frontdesk.sms.Health;
import dev.frontdesk.sms.InboundReceipt;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.RateLimitedException;
import dev.frontdesk.sms.SmsSendException;
import dev.frontdesk.sms.StaffMessage;
import dev.frontdesk.sms.StatusUpdate;
import dev.frontdesk.sms.StoreUnavailableException;
import dev.frontdesk.sms.servlet.internal.ApiError;
import dev.frontdesk.sms.servlet.internal.FailureThrottle;
import dev.frontdesk.sms.servlet.internal.Forms;
import dev.frontdesk.sms.servlet.internal.Json;
import dev.frontdesk.sms.servlet.internal.LogLimiter;
import dev.frontdesk.sms.twilio.Twiml;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front desk's HTTP API (the Twilio webhooks and the staff JSON API) over a {@link FrontDesk}, independent of any servlet container: a
 * {@link Request} (method, path, headers, query, body) goes in, a {@link Response} (status, headers, body)
 * comes out. {@link FrontDeskServlet} adapts it to Jakarta Servlet; another server (the JDK's
 * {@code HttpServer}, Netty, ...) needs only its own small adapter.
 *
 * <p>Endpoints, relative to where the handler is mounted:
 * <ul>
 *   <li>{@code POST /api/twilio/sms/inbound}, {@code POST /api/twilio/sms/status}: Twilio's webhooks, form
 *       encoded, checked against {@code X-Twilio-Signature} for the public URL (403 {@code invalid_signature}).</li>
 *   <li>{@code POST /api/twilio/sms/outbound}, {@code GET /api/leads}, {@code GET /api/leads/{leadId}/sms},
 *       {@code GET /api/twilio/status}: the staff API, behind the {@link StaffAuthorizer} (401 {@code unauthorized}).</li>
 *   <li>{@code GET /api/health}: 200 while the store answers, 503 otherwise; open, and says nothing more.</li>
 * </ul>
 * Every error is {@code {"error": {"code": "...", "message": "..."}}}; {@link #handle} never throws.
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
    /** Client addresses whose failures are remembered at most (least recently seen forgotten first). */
    static final int KEY_FAILURE_ADDRESSES = 10_000;

    static final String INBOUND = FrontDeskConfig.INBOUND_PATH;
    static final String STATUS = FrontDeskConfig.STATUS_PATH;
    static final String OUTBOUND = "/api/twilio/sms/outbound";
    static final String LEADS = "/api/leads";
    static final String SETUP = "/api/twilio/status";
    static final String HEALTH = "/api/health";
    static final String USAGE = "/api/usage";
    private static final Pattern LEAD_MESSAGES = Pattern.compile("/api/leads/([^/]*)/sms");
    private static final Pattern LEAD_AI = Pattern.compile("/api/leads/([^/]*)/ai");
    private static final Pattern LEAD = Pattern.compile("/api/leads/([^/]+)");
    private static final Pattern LEAD_ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+");

    private static final String JSON = "application/json";
    private static final String XML = "text/xml";

    private final FrontDesk frontDesk;
    private final StaffAuthorizer authorizer;
    private final boolean staffApiConfigured;
    private final TwilioSignatures signatures;
    private final String publicBaseUrl;
    private final boolean trustForwardedHeaders;
    private final int maxWebhookBytes;
    private final int maxJsonBytes;
    private final FailureThrottle keyFailures = new FailureThrottle(KEY_FAILURE_BURST, KEY_FAILURE_REFILL, KEY_FAILURE_ADDRESSES);
    private final LogLimiter refusedLog = new LogLimiter(Duration.ofMinutes(1));
    private final LogLimiter throttledLog = new LogLimiter(Duration.ofMinutes(1));

    private FrontDeskHttpHandler(FrontDesk frontDesk, StaffAuthorizer authorizer, String signingToken, String publicBaseUrl,
                                 boolean trustForwardedHeaders, int maxWebhookBytes, int maxJsonBytes) {
        this.frontDesk = frontDesk;
        this.authorizer = authorizer;
        this.staffApiConfigured = authorizer != StaffAuthorizer.DENY_ALL;
        this.signatures = signingToken == null ? null : new TwilioSignatures(signingToken);
        this.publicBaseUrl = publicBaseUrl;
        this.trustForwardedHeaders = trustForwardedHeaders;
        this.maxWebhookBytes = maxWebhookBytes;
        this.maxJsonBytes = maxJsonBytes;
    }

    /** A builder over {@code frontDesk}; every setting has a working default from its configuration. */
    public static Builder builder(FrontDesk frontDesk) {
        return new Builder(frontDesk);
    }

    /** The most body bytes any endpoint accepts: a servlet reading bodies ahead need not read more than one past it. */
    int maxBodyBytes() {
        return Math.max(maxWebhookBytes, maxJsonBytes);
    }

    /** The public URL webhooks are validated against, e.g. {@code https://abc123.ngrok.io}. */
    public String publicBaseUrl() {
        return publicBaseUrl;
    }

    // ---------------------------------------------------------------- the exchange types

    /**
     * One HTTP request as the handler needs it. Implementations adapt a container's request object; they
     * need not be thread-safe (one request, one thread).
     */
    public interface Request {
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

    /**
     * What to answer.
     *
     * @param status  the HTTP status
     * @param headers response headers, {@code Content-Type} included
     * @param body    the body bytes, possibly empty
     */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public Response {
            headers = Map.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }

        /** The {@code Content-Type} header, or null. */
        public String contentType() {
            return headers.get("Content-Type");
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------- dispatch

    /** Answers one request; never throws: every failure becomes the contract's JSON error. */
    public Response handle(Request request) {
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        String path = request.path() == null || request.path().isEmpty() ? "/" : request.path();
        Response response = answer(method, path, request);
        String kind = INBOUND.equals(path) ? "inbound" : STATUS.equals(path) ? "status" : null;
        if (kind != null) {
            if (response.status() == 200) {
                frontDesk.webhookReceived(kind);
            } else {
                frontDesk.webhookRejected(kind, rejection(response.status()));
            }
        }
        return response;
    }

    private static String rejection(int status) {
        switch (status) {
            case 400: return "invalid_request";
            case 403: return "invalid_signature";
            case 405: return "method_not_allowed";
            case 413: return "payload_too_large";
            case 415: return "unsupported_media_type";
            case 503: return "unavailable";
            default: return "error";
        }
    }

    private Response answer(String method, String path, Request request) {
        try {
            return route(method, path, request);
        } catch (ApiError e) {
            return error(e.status(), e.code(), e.getMessage(), e.headers());
        } catch (StoreUnavailableException e) {
            log.warn("{} {}: store unavailable, answering 503 ({})", method, path, LogSafe.message(e.getMessage(), 200));
            return error(503, "unavailable", "The message store is not reachable right now; try again in a minute.",
                    Map.of("Retry-After", "5"));
        } catch (SmsSendException e) {
            return error(502, "twilio_error", twilioMessage(e), Map.of());
        } catch (FrontDeskException e) {
            int status = statusOf(e.code());
            if (status == 500) {
                log.error("{} {} failed ({})", method, path, e.code(), LogSafe.exception(e));
                return internalError();
            }
            Map<String, String> headers = e instanceof RateLimitedException limited
                    ? Map.of("Retry-After", Long.toString(Math.max(1, limited.retryAfter().toSeconds()))) : Map.of();
            return error(status, e.code(), e.getMessage(), headers);
        } catch (RuntimeException e) {
            // The driver's or library's message may quote customer values: logged redacted, stack kept.
            log.error("{} {} failed unexpectedly", method, path, LogSafe.exception(e));
            return internalError();
        }
    }

    private Response route(String method, String path, Request request) {
        switch (path) {
            case INBOUND:
                requireMethod(method, "POST");
                return inbound(request);
            case STATUS:
                requireMethod(method, "POST");
                return status(request);
            case OUTBOUND:
                requireMethod(method, "POST");
                return outbound(request);
            case LEADS:
                requireMethod(method, "GET");
                return leads(request);
            case SETUP:
                requireMethod(method, "GET");
                return setup(request);
            case HEALTH:
                requireMethod(method, "GET");
                return health();
            case USAGE:
                requireMethod(method, "GET");
                return usage(request);
            default:
                var m = LEAD_MESSAGES.matcher(path);
                if (m.matches()) {
                    requireMethod(method, "GET");
                    return leadMessages(request, m.group(1));
                }
                var ai = LEAD_AI.matcher(path);
                if (ai.matches()) {
                    requireMethod(method, "POST");
                    return leadAi(request, ai.group(1));
                }
                var lead = LEAD.matcher(path);
                if (lead.matches()) {
                    requireMethod(method, "PATCH");
                    return patchLead(request, lead.group(1));
                }
                throw new ApiError(404, "not_found", "There is no endpoint at " + LogSafe.truncate(path, 100)
                        + "; the API's paths start with /api/ (see the README).");
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw new ApiError(405, "method_not_allowed", "This endpoint answers " + allowed + " only, not "
                    + LogSafe.truncate(method, 20) + ".", Map.of("Allow", allowed));
        }
    }

    // ---------------------------------------------------------------- webhooks

    private Response inbound(Request request) {
        Map<String, String> params = signedForm(request);
        Optional<OtherSender> other = OtherSender.of(params.get("From"));
        if (other.isPresent()) {
            // A short code, a sender ID or a channel address: acknowledged and stored, never answered.
            frontDesk.receiveFromOtherSender(OtherSenderMessage.fromParameters(params, other.get()));
            return new Response(200, Map.of("Content-Type", XML), Twiml.empty().getBytes(StandardCharsets.UTF_8));
        }
        InboundReceipt receipt = frontDesk.receiveInbound(InboundSms.fromParameters(params, frontDesk.config().business().defaultRegion()));
        String xml = receipt.immediateReply().map(Twiml::message).orElseGet(Twiml::empty);
        return new Response(200, Map.of("Content-Type", XML), xml.getBytes(StandardCharsets.UTF_8));
    }

    private Response status(Request request) {
        Map<String, String> params = signedForm(request);
        frontDesk.receiveStatus(StatusUpdate.fromParameters(params));
        return new Response(200, Map.of("Content-Type", XML), Twiml.empty().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a webhook's form and checks its signature: 415, 413, 400, then 403. */
    private Map<String, String> signedForm(Request request) {
        String type = Forms.mediaType(request.header("Content-Type"));
        if (type != null && !type.equals("application/x-www-form-urlencoded")) {
            throw new ApiError(415, "unsupported_media_type",
                    "Twilio webhooks must be sent as application/x-www-form-urlencoded, not " + LogSafe.truncate(type, 60) + ".");
        }
        byte[] body = readBody(request, maxWebhookBytes);
        if (type == null && body.length > 0) {
            throw new ApiError(415, "unsupported_media_type",
                    "Twilio webhooks must be sent with Content-Type: application/x-www-form-urlencoded.");
        }
        Map<String, String> params = Forms.parse(new String(body, StandardCharsets.UTF_8), "form body", true);
        String url = webhookUrl(request);
        if (signatures == null) {
            log.warn("⚠️  Twilio webhook for {} refused: no auth token is configured to check its signature (set TWILIO_AUTH_TOKEN)",
                    LogSafe.url(url));
            throw new ApiError(403, "invalid_signature", "This server cannot check Twilio signatures because no auth token "
                    + "is configured; set TWILIO_AUTH_TOKEN. Unsigned webhooks are refused.");
        }
        String header = request.header("X-Twilio-Signature");
        if (header == null || header.isBlank()) {
            log.warn("⚠️  Twilio webhook refused: no X-Twilio-Signature header (checked URL {})", LogSafe.url(url));
            throw new ApiError(403, "invalid_signature", "The X-Twilio-Signature header is missing; only Twilio may call this webhook.");
        }
        if (!signatures.isValid(url, params, header)) {
            log.warn("⚠️  Twilio webhook refused: signature does not match URL {} with {} parameters. If Twilio calls another URL, "
                    + "set PUBLIC_BASE_URL to its base.", LogSafe.url(url), params.size());
            throw new ApiError(403, "invalid_signature", "The X-Twilio-Signature header does not match this request. Check that "
                    + "the webhook URL in Twilio starts with PUBLIC_BASE_URL (" + publicBaseUrl + ") and that TWILIO_AUTH_TOKEN is the account's current token.");
        }
        return params;
    }

    /** The URL Twilio called: trusted forwarded headers if asked for and present, else the public base URL. */
    String webhookUrl(Request request) {
        String query = request.rawQuery() == null || request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery();
        if (trustForwardedHeaders) {
            String host = first(request.header("X-Forwarded-Host"));
            if (host != null && HOST.matcher(host).matches()) {
                String proto = first(request.header("X-Forwarded-Proto"));
                URI seen = URI.create(request.requestUrl());
                if (proto == null || !(proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))) {
                    proto = seen.getScheme();
                }
                return proto.toLowerCase(Locale.ROOT) + "://" + host + seen.getRawPath() + query;
            }
        }
        return publicBaseUrl + request.path() + query;
    }

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        String v = (comma < 0 ? header : header.substring(0, comma)).strip();
        return v.isEmpty() ? null : v;
    }

    // ---------------------------------------------------------------- staff API

    /**
     * The staff check, throttled per client address: after {@link #KEY_FAILURE_BURST} failures an address gets one
     * more try per {@link #KEY_FAILURE_REFILL}, and until then 429 whatever key it sends, so guessing is slow. Refusals
     * are logged at most once a minute, with the count of those held back.
     */
    private void authorize(Request request) {
        if (!staffApiConfigured) {
            throw new ApiError(401, "unauthorized", "The staff API is switched off because no API key is configured; set "
                    + "FRONTDESK_API_KEY (or give the servlet an apiKey or authorizer) and send 'Authorization: Bearer <key>'.",
                    Map.of("WWW-Authenticate", "Bearer"));
        }
        String address = clientAddress(request);
        Instant now = frontDesk.now();
        if (address != null) {
            Duration wait = keyFailures.waitBeforeTrying(address, now);
            if (!wait.isZero()) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                long held = throttledLog.acquire(now);
                if (held >= 0) {
                    log.warn("⚠️  Staff requests from {} throttled after repeated wrong keys: 429 for {} s{}", LogSafe.truncate(address, 60),
                            seconds, held > 0 ? " (" + held + " more throttled since the last such line)" : "");
                }
                throw new ApiError(429, "rate_limited", "Too many wrong API keys from your address; wait " + seconds
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
            throw new ApiError(401, "unauthorized", "Send your API key in the header 'Authorization: Bearer <key>' "
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
    private String clientAddress(Request request) {
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

    private Response outbound(Request request) {
        authorize(request);
        String contentType = request.header("Content-Type");
        String type = Forms.mediaType(contentType);
        String charset = Forms.charset(contentType);
        if (!JSON.equals(type) || (charset != null && !charset.equals("utf-8"))) {
            throw new ApiError(415, "unsupported_media_type", "Send the message as JSON with 'Content-Type: application/json' (UTF-8).");
        }
        JsonNode json = Json.parse(readBody(request, maxJsonBytes));
        if (!json.isObject()) {
            throw new ApiError(400, "invalid_request", "The body must be a JSON object such as {\"leadId\": 123, \"message\": \"...\"}.");
        }
        JsonNode force = json.get("force");
        if (force != null && !force.isNull() && !force.isBoolean()) {
            throw new ApiError(400, "invalid_request", "force must be true or false.");
        }
        boolean forced = force != null && force.asBoolean(false);
        StaffMessage staff = new StaffMessage(leadId(json.get("leadId")), text(json.get("phoneNumber"), "phoneNumber"),
                text(json.get("message"), "message"), forced);
        if (staff.phoneNumber() != null && staff.phoneNumber().isBlank()) {
            staff = new StaffMessage(staff.leadId(), null, staff.message(), forced);
        }
        Message sent = frontDesk.sendStaffMessage(staff);
        ObjectNode body = Json.object();
        body.set("message", Json.message(sent));
        return json(201, body);
    }

    private static Long leadId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() > 0) {
            return node.longValue();
        }
        if (node.isTextual() && LEAD_ID.matcher(node.textValue().strip()).matches()) {
            return Long.parseLong(node.textValue().strip());
        }
        throw new ApiError(400, "invalid_request", "leadId must be a positive whole number, like 123.");
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ApiError(400, "invalid_request", field + " must be a JSON string.");
        }
        return node.textValue();
    }

    private Response leads(Request request) {
        authorize(request);
        Map<String, String> query = Forms.parse(request.rawQuery(), "query string", false);
        List<Lead> leads = frontDesk.leads(query.get("phone"), limit(query));
        return json(200, Json.leads(leads, frontDesk.now()));
    }

    private Response leadMessages(Request request, String rawId) {
        authorize(request);
        if (!LEAD_ID.matcher(rawId).matches()) {
            throw new ApiError(400, "invalid_request", "The lead id in the path must be a whole number, like /api/leads/123/sms.");
        }
        long leadId = Long.parseLong(rawId);
        Map<String, String> query = Forms.parse(request.rawQuery(), "query string", false);
        List<Message> messages = frontDesk.history(leadId, limit(query));
        return json(200, Json.messages(leadId, messages));
    }

    private Response leadAi(Request request, String rawId) {
        authorize(request);
        long leadId = pathLeadId(rawId, "/api/leads/123/ai");
        JsonNode json = jsonObject(request, "{\"enabled\": false, \"minutes\": 120}");
        JsonNode enabled = json.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw new ApiError(400, "invalid_request", "enabled must be true or false, like {\"enabled\": false, \"minutes\": 120}.");
        }
        JsonNode minutes = json.get("minutes");
        Integer mins = null;
        if (minutes != null && !minutes.isNull()) {
            if (!minutes.isIntegralNumber() || !minutes.canConvertToInt()) {
                throw new ApiError(400, "invalid_request", "minutes must be a whole number from 1 to 100000.");
            }
            mins = minutes.intValue();
        }
        Lead lead = frontDesk.setAi(leadId, enabled.booleanValue(), mins);
        ObjectNode body = Json.object();
        body.set("lead", Json.lead(lead, frontDesk.now()));
        return json(200, body);
    }

    private Response patchLead(Request request, String rawId) {
        authorize(request);
        long leadId = pathLeadId(rawId, "/api/leads/123");
        JsonNode json = jsonObject(request, "{\"qualification\": {\"name\": \"Sam Lee\"}}");
        JsonNode q = json.get("qualification");
        if (q == null || !q.isObject() || json.size() != 1) {
            throw new ApiError(400, "invalid_request", "Send {\"qualification\": {...}} with any of name, service, address, "
                    + "urgency and preferredTime, each a string or null.");
        }
        Map<Qualification.Field, String> values = new java.util.EnumMap<>(Qualification.Field.class);
        var fields = q.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            Qualification.Field f = Qualification.Field.fromWire(e.getKey());
            JsonNode v = e.getValue();
            if (!v.isNull() && !v.isTextual()) {
                throw new ApiError(400, "invalid_request", "qualification." + f.wireName() + " must be a string or null.");
            }
            if (v.isTextual() && v.textValue().length() > Qualification.MAX_CHARS) {
                throw new ApiError(400, "invalid_request", "qualification." + f.wireName() + " is longer than "
                        + Qualification.MAX_CHARS + " characters.");
            }
            values.put(f, v.isNull() ? null : v.textValue());
        }
        Lead lead = frontDesk.editQualification(leadId, values);
        ObjectNode body = Json.object();
        body.set("lead", Json.lead(lead, frontDesk.now()));
        return json(200, body);
    }

    private Response usage(Request request) {
        authorize(request);
        Map<String, String> query = Forms.parse(request.rawQuery(), "query string", false);
        LocalDate today = frontDesk.now().atZone(frontDesk.config().business().timeZone()).toLocalDate();
        LocalDate to = date(query.get("to"), "to", today);
        LocalDate from = date(query.get("from"), "from", to.minusDays(29));
        return json(200, Json.usage(frontDesk.usage(from, to)));
    }

    private static LocalDate date(String raw, String name, LocalDate fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        String v = raw.strip();
        // Four-digit years only: LocalDate also parses "+999999999-12-01", whose day arithmetic then overflows.
        if (!ISO_DATE.matcher(v).matches() || v.startsWith("0000")) {
            throw badDate(name);
        }
        try {
            return LocalDate.parse(v);
        } catch (java.time.DateTimeException e) {
            throw badDate(name);
        }
    }

    private static ApiError badDate(String name) {
        return new ApiError(400, "invalid_request", name + " must be a date from 0001-01-01 to 9999-12-31 like 2026-11-27 (YYYY-MM-DD).");
    }

    private static long pathLeadId(String rawId, String example) {
        if (!LEAD_ID.matcher(rawId).matches()) {
            throw new ApiError(400, "invalid_request", "The lead id in the path must be a whole number, like " + example + ".");
        }
        return Long.parseLong(rawId);
    }

    /** Reads a staff JSON body that must be an object: 415, 413, 400. */
    private JsonNode jsonObject(Request request, String example) {
        String contentType = request.header("Content-Type");
        String type = Forms.mediaType(contentType);
        String charset = Forms.charset(contentType);
        if (!JSON.equals(type) || (charset != null && !charset.equals("utf-8"))) {
            throw new ApiError(415, "unsupported_media_type", "Send JSON with 'Content-Type: application/json' (UTF-8).");
        }
        JsonNode json = Json.parse(readBody(request, maxJsonBytes));
        if (!json.isObject()) {
            throw new ApiError(400, "invalid_request", "The body must be a JSON object such as " + example + ".");
        }
        return json;
    }

    private static int limit(Map<String, String> query) {
        String raw = query.get("limit");
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        String v = raw.strip();
        if (!v.matches("[0-9]{1,9}") || Integer.parseInt(v) < 1) {
            throw new ApiError(400, "invalid_request", "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
        }
        return Math.min(Integer.parseInt(v), MAX_LIMIT);
    }

    private Response setup(Request request) {
        authorize(request);
        ObjectNode body = Json.setup(frontDesk.setupStatus(), publicBaseUrl + INBOUND);
        body.set("budget", Json.budget(frontDesk.budget()));
        return json(200, body);
    }

    private Response health() {
        Health health = frontDesk.health();
        if (!health.available()) {
            log.warn("Health check: store unavailable ({})", LogSafe.message(health.problem(), 200));
            return error(503, "unavailable", "The message store is not reachable right now.", Map.of("Retry-After", "5"));
        }
        ObjectNode ok = Json.object();
        ok.put("status", "ok");
        return json(200, ok);
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] readBody(Request request, int max) {
        if (request.contentLength() > max) {
            throw tooLarge(max);
        }
        try (InputStream in = request.body()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw tooLarge(max);
            }
            return body;
        } catch (IOException e) {
            throw new ApiError(400, "invalid_request", "The request body could not be read completely; send it again.");
        }
    }

    private static ApiError tooLarge(int max) {
        return new ApiError(413, "payload_too_large", "The request body is larger than the " + String.format(Locale.ROOT, "%,d", max)
                + " bytes this endpoint accepts; send less.");
    }

    private static String twilioMessage(SmsSendException e) {
        String message = e.getMessage() == null ? "Twilio refused the message." : LogSafe.maskPhones(e.getMessage());
        if (e.providerCode() != null && !message.contains(e.providerCode().toString())) {
            message = message + " (Twilio error " + e.providerCode() + ")";
        }
        return message;
    }

    static int statusOf(String code) {
        switch (code) {
            case "invalid_request":
            case "invalid_phone_number":
            case "empty_message":
            case "message_too_long":
                return 400;
            case "lead_not_found":
                return 404;
            case "opted_out":
            case "quiet_hours":
                return 409;
            case "unverified_number":
                return 422;
            case "rate_limited":
                return 429;
            case "twilio_error":
                return 502;
            case "unavailable":
                return 503;
            default:
                return 500;
        }
    }

    private static Response json(int status, JsonNode body) {
        return new Response(status, jsonHeaders(Map.of()), Json.bytes(body));
    }

    static Response error(int status, String code, String message, Map<String, String> extra) {
        return new Response(status, jsonHeaders(extra), Json.bytes(Json.error(code, message)));
    }

    /**
     * The headers of every JSON answer: never cached, never sniffed into HTML by a browser, and no script,
     * style or frame may load from it should a browser render it anyway.
     */
    private static Map<String, String> jsonHeaders(Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", JSON);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Content-Security-Policy", "default-src 'none'");
        return headers;
    }

    private static Response internalError() {
        return error(500, "internal_error", "Something went wrong on the server; try again, and check the server log if it keeps happening.", Map.of());
    }

    // ---------------------------------------------------------------- builder

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
            return new FrontDeskHttpHandler(frontDesk, staff, token, base, trustForwardedHeaders, maxWebhookBytes, maxJsonBytes);
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
