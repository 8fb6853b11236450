package dev.frontdesk.sms.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadFilter;
import dev.frontdesk.sms.LeadQuery;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.OutboxEvent;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.StaffMessage;
import dev.frontdesk.sms.http.FrontDeskHttpHandler;
import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.http.HttpResponse;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The staff API: the outbound text, the leads list, a lead, a lead's history, qualification edits, the AI switch, usage and
 * the settings page's status. Each endpoint runs the {@link StaffGate} first (401/429), then reads its input in the
 * contract's order (415, 413, 400) before it asks the front desk. Thread-safe.
 */
public final class StaffEndpoints {
    private static final Pattern LEAD_ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final int MAX_SEARCH_CHARS = 100;
    private static final String FILTERS = String.join(", ",
            Arrays.stream(LeadFilter.values()).map(LeadFilter::wireName).toList());

    private final FrontDesk frontDesk;
    private final StaffGate gate;
    private final int maxJsonBytes;
    private final String inboundWebhookUrl;
    private final String voiceWebhookUrl;

    /**
     * @param inboundWebhookUrl the URL inbound webhooks are checked against, shown on the settings page
     * @param voiceWebhookUrl   the URL call webhooks are checked against, shown there too
     */
    public StaffEndpoints(FrontDesk frontDesk, StaffGate gate, int maxJsonBytes, String inboundWebhookUrl, String voiceWebhookUrl) {
        this.frontDesk = frontDesk;
        this.gate = gate;
        this.maxJsonBytes = maxJsonBytes;
        this.inboundWebhookUrl = inboundWebhookUrl;
        this.voiceWebhookUrl = voiceWebhookUrl;
    }

    /** {@code POST /api/twilio/sms/outbound}: 201 {@code {"message": Message}}. */
    public HttpResponse outbound(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        JsonNode json = Bodies.jsonObject(request, maxJsonBytes, "the message as JSON", "{\"leadId\": 123, \"message\": \"...\"}");
        JsonNode force = json.get("force");
        if (force != null && !force.isNull() && !force.isBoolean()) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "force must be true or false.");
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
        return Answers.json(201, body);
    }

    /** {@code GET /api/leads?phone=&q=&filter=&cursor=&limit=}: most recent activity first, a page at a time. */
    public HttpResponse leads(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        Map<String, String> query = Forms.parse(request.rawQuery(), "query string", false);
        String q = query.get("q");
        if (q != null && q.length() > MAX_SEARCH_CHARS) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "q must be at most " + MAX_SEARCH_CHARS
                    + " characters: part of a name or of a phone number.");
        }
        String cursor = query.get("cursor");
        Instant now = frontDesk.now();
        LeadQuery leadQuery = new LeadQuery(q, filter(query.get("filter")),
                cursor == null || cursor.isBlank() ? null : LeadCursors.decode(cursor), limit(query), now);
        return Answers.json(200, Json.leads(frontDesk.leads(query.get("phone"), leadQuery), now));
    }

    /**
     * {@code GET /api/events?status=failed|pending|delivered&limit=}: the event webhooks' delivery state, newest first
     * ({@code status} default {@code failed}), so staff see a CRM that stopped accepting.
     */
    public HttpResponse events(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        Map<String, String> query = Forms.parse(request.rawQuery(), "query string", false);
        String raw = query.get("status");
        OutboxEvent.Status status;
        try {
            status = raw == null || raw.isBlank() ? OutboxEvent.Status.FAILED : OutboxEvent.Status.fromWire(raw.strip());
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "status must be failed, pending or delivered.");
        }
        return Answers.json(200, Json.events(status, frontDesk.eventsEnabled(), frontDesk.events(status, limit(query))));
    }

    /** {@code GET /api/leads/{leadId}}: {@code {"lead": Lead}}, the lead with its owner {@code alerts}. */
    public HttpResponse lead(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        long leadId = pathLeadId(pathParams.get(0), "/api/leads/123");
        ObjectNode body = Json.object();
        body.set("lead", Json.leadWithAlerts(frontDesk.lead(leadId), frontDesk.now()));
        return Answers.json(200, body);
    }

    /** {@code GET /api/leads/{leadId}/sms}: the conversation, oldest first. */
    public HttpResponse history(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        long leadId = pathLeadId(pathParams.get(0), "/api/leads/123/sms");
        Map<String, String> query = Forms.parse(request.rawQuery(), "query string", false);
        List<Message> messages = frontDesk.history(leadId, limit(query));
        return Answers.json(200, Json.messages(leadId, messages));
    }

    /** {@code POST /api/leads/{leadId}/ai}: {@code {"enabled": false, "minutes": 120}} or {@code {"enabled": true}}. */
    public HttpResponse aiSwitch(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        long leadId = pathLeadId(pathParams.get(0), "/api/leads/123/ai");
        JsonNode json = Bodies.jsonObject(request, maxJsonBytes, "JSON", "{\"enabled\": false, \"minutes\": 120}");
        JsonNode enabled = json.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "enabled must be true or false, like {\"enabled\": false, \"minutes\": 120}.");
        }
        JsonNode minutes = json.get("minutes");
        Integer mins = null;
        if (minutes != null && !minutes.isNull()) {
            if (!minutes.isIntegralNumber() || !minutes.canConvertToInt()) {
                throw new ApiError(ErrorCode.INVALID_REQUEST, "minutes must be a whole number from 1 to 100000.");
            }
            mins = minutes.intValue();
        }
        return lead(frontDesk.setAi(leadId, enabled.booleanValue(), mins));
    }

    /** {@code PATCH /api/leads/{leadId}}: {@code {"qualification": {...}}}, a given field set, {@code null} cleared. */
    public HttpResponse patchLead(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        long leadId = pathLeadId(pathParams.get(0), "/api/leads/123");
        JsonNode json = Bodies.jsonObject(request, maxJsonBytes, "JSON", "{\"qualification\": {\"name\": \"Sam Lee\"}}");
        JsonNode q = json.get("qualification");
        if (q == null || !q.isObject() || json.size() != 1) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "Send {\"qualification\": {...}} with any of name, service, address, "
                    + "urgency and preferredTime, each a string or null.");
        }
        Map<Qualification.Field, String> values = new EnumMap<>(Qualification.Field.class);
        var fields = q.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            Qualification.Field f = Qualification.Field.fromWire(e.getKey());
            JsonNode v = e.getValue();
            if (!v.isNull() && !v.isTextual()) {
                throw new ApiError(ErrorCode.INVALID_REQUEST, "qualification." + f.wireName() + " must be a string or null.");
            }
            if (v.isTextual() && v.textValue().length() > Qualification.MAX_CHARS) {
                throw new ApiError(ErrorCode.INVALID_REQUEST, "qualification." + f.wireName() + " is longer than "
                        + Qualification.MAX_CHARS + " characters.");
            }
            values.put(f, v.isNull() ? null : v.textValue());
        }
        return lead(frontDesk.editQualification(leadId, values));
    }

    /** {@code GET /api/usage?from=&to=}: by default the last 30 days up to today in the business's zone. */
    public HttpResponse usage(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        Map<String, String> query = Forms.parse(request.rawQuery(), "query string", false);
        LocalDate today = frontDesk.now().atZone(frontDesk.config().business().timeZone()).toLocalDate();
        LocalDate to = date(query.get("to"), "to", today);
        LocalDate from = date(query.get("from"), "from", to.minusDays(29));
        return Answers.json(200, Json.usage(frontDesk.usage(from, to)));
    }

    /** {@code GET /api/twilio/status}: where Twilio and the AI stand, the webhook URLs and the budget. */
    public HttpResponse setup(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        ObjectNode body = Json.setup(frontDesk.setupStatus(), inboundWebhookUrl, voiceWebhookUrl);
        body.set("budget", Json.budget(frontDesk.budget()));
        return Answers.json(200, body);
    }

    /** The changed lead as {@code GET /api/leads/{leadId}} shows it, read again with its latest message. */
    private HttpResponse lead(Lead lead) {
        ObjectNode body = Json.object();
        body.set("lead", Json.leadWithAlerts(frontDesk.lead(lead.id()), frontDesk.now()));
        return Answers.json(200, body);
    }

    private static LeadFilter filter(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return LeadFilter.fromWire(raw.strip()).orElseThrow(() -> new ApiError(ErrorCode.INVALID_REQUEST,
                "filter must be one of " + FILTERS + ", or left out for every lead."));
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
        throw new ApiError(ErrorCode.INVALID_REQUEST, "leadId must be a positive whole number, like 123.");
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, field + " must be a JSON string.");
        }
        return node.textValue();
    }

    private static long pathLeadId(String rawId, String example) {
        if (!LEAD_ID.matcher(rawId).matches()) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "The lead id in the path must be a whole number, like " + example + ".");
        }
        return Long.parseLong(rawId);
    }

    private static int limit(Map<String, String> query) {
        String raw = query.get("limit");
        if (raw == null || raw.isBlank()) {
            return FrontDeskHttpHandler.DEFAULT_LIMIT;
        }
        String v = raw.strip();
        if (!v.matches("[0-9]{1,9}") || Integer.parseInt(v) < 1) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "limit must be a whole number from 1 to " + FrontDeskHttpHandler.MAX_LIMIT + ".");
        }
        return Math.min(Integer.parseInt(v), FrontDeskHttpHandler.MAX_LIMIT);
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
        } catch (DateTimeException e) {
            throw badDate(name);
        }
    }

    private static ApiError badDate(String name) {
        return new ApiError(ErrorCode.INVALID_REQUEST, name + " must be a date from 0001-01-01 to 9999-12-31 like 2026-11-27 (YYYY-MM-DD).");
    }
}
