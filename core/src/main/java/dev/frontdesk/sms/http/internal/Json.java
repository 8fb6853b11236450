package dev.frontdesk.sms.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.BudgetStatus;
import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadOverview;
import dev.frontdesk.sms.OwnerAlert;
import dev.frontdesk.sms.LeadPage;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.OutboxEvent;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.SetupStatus;
import dev.frontdesk.sms.UsageCounts;
import dev.frontdesk.sms.UsageDay;
import dev.frontdesk.sms.UsageReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The JSON shapes of the HTTP API (a stable wire contract), written field by field so that a change to a core record
 * never changes the wire format by accident. Times are ISO-8601 UTC strings or null.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ObjectNode message(Message m) {
        ObjectNode o = object();
        o.put("id", m.id());
        o.put("leadId", m.leadId());
        o.put("twilioSid", m.twilioSid());
        o.put("direction", m.direction().wireName());
        o.put("from", m.from());
        o.put("to", m.to());
        o.put("body", m.body());
        o.put("status", m.status().wireName());
        o.put("errorCode", m.errorCode());
        o.put("numSegments", m.numSegments());
        ArrayNode media = o.putArray("media");
        m.media().forEach(media::add);
        o.put("sentAt", time(m.sentAt()));
        o.put("deliveredAt", time(m.deliveredAt()));
        o.put("createdAt", time(m.createdAt()));
        return o;
    }

    /**
     * A lead as the API shows it at {@code now}: {@code aiEnabled} says whether the AI answers now, and
     * {@code aiPausedUntil} when a pause ends (null when on, or off until staff switch it on); {@code lastMessage}
     * is the lead's latest message or null.
     */
    public static ObjectNode lead(LeadOverview overview, Instant now) {
        Lead l = overview.lead();
        ObjectNode o = object();
        o.put("id", l.id());
        o.put("phoneNumber", l.phoneNumber().value());
        o.put("channel", l.channel().wireName());
        o.put("name", l.name());
        o.put("source", l.source());
        o.put("smsEnabled", l.smsEnabled());
        o.put("smsOptOut", l.smsOptOut());
        o.put("lastSmsAt", time(l.lastSmsAt()));
        o.put("createdAt", time(l.createdAt()));
        boolean active = l.aiActive(now);
        o.put("aiEnabled", active);
        o.put("aiPausedUntil", active ? null : time(l.aiPausedUntil()));
        ObjectNode q = o.putObject("qualification");
        for (Qualification.Field f : Qualification.Field.values()) {
            q.put(f.wireName(), l.qualification().get(f));
        }
        o.set("lastMessage", overview.lastMessage() == null ? NODES.nullNode() : message(overview.lastMessage()));
        return o;
    }

    /**
     * {@link #lead(LeadOverview, Instant)} with {@code alerts}: the owner alerts about the lead, oldest first, each
     * {@code {"reason", "status", "createdAt", "sentAt", "lastError"}} (a lead's own page; lists leave it out).
     */
    public static ObjectNode leadWithAlerts(LeadOverview overview, Instant now) {
        ObjectNode o = lead(overview, now);
        ArrayNode list = o.putArray("alerts");
        for (OwnerAlert a : overview.alerts()) {
            ObjectNode j = list.addObject();
            j.put("reason", a.reason().wireName());
            j.put("status", a.status().wireName());
            j.put("createdAt", time(a.createdAt()));
            j.put("sentAt", time(a.sentAt()));
            j.put("lastError", a.lastError());
        }
        return o;
    }

    public static ObjectNode messages(long leadId, List<Message> messages) {
        ObjectNode o = object();
        o.put("leadId", leadId);
        ArrayNode list = o.putArray("messages");
        messages.forEach(m -> list.add(message(m)));
        return o;
    }

    /** {@code {"leads": [Lead, ...], "nextCursor": "..." or null}} */
    public static ObjectNode leads(LeadPage page, Instant now) {
        ObjectNode o = object();
        ArrayNode list = o.putArray("leads");
        page.leads().forEach(l -> list.add(lead(l, now)));
        o.put("nextCursor", page.next() == null ? null : LeadCursors.encode(page.next()));
        return o;
    }

    /**
     * The settings page's view.
     *
     * @param inboundWebhookUrl the URL this servlet validates inbound webhooks against
     * @param voiceWebhookUrl   the same for calls: where Twilio's "A call comes in" points
     */
    public static ObjectNode setup(SetupStatus s, String inboundWebhookUrl, String voiceWebhookUrl) {
        ObjectNode o = object();
        o.put("configured", s.configured());
        o.put("mode", s.mode());
        o.put("phoneNumber", s.phoneNumber());
        ArrayNode missing = o.putArray("missing");
        s.missing().forEach(missing::add);
        o.put("inboundWebhookUrl", inboundWebhookUrl);
        o.put("statusCallbackUrl", s.statusCallbackUrl());
        o.put("voiceWebhookUrl", voiceWebhookUrl);
        ObjectNode ai = o.putObject("ai");
        ai.put("configured", s.aiConfigured());
        ai.put("provider", s.aiProvider());
        ai.put("model", s.aiModel());
        return o;
    }

    /** {@code {"days": [{"date", "inbound", "outbound", "segments", "aiCalls", "estimatedCost", ...}], "totals": {...}}} */
    public static ObjectNode usage(UsageReport report) {
        ObjectNode o = object();
        ArrayNode days = o.putArray("days");
        report.days().forEach(d -> days.add(usageDay(d)));
        o.set("totals", usageDay(report.totals()));
        return o;
    }

    private static ObjectNode usageDay(UsageDay d) {
        ObjectNode o = object();
        o.put("date", d.date() == null ? null : d.date().toString());
        UsageCounts c = d.counts();
        o.put("inbound", c.inbound());
        o.put("outbound", c.outbound());
        o.put("segments", c.inboundSegments() + c.outboundSegments());
        o.put("inboundSegments", c.inboundSegments());
        o.put("outboundSegments", c.outboundSegments());
        o.put("aiCalls", c.aiCalls());
        o.put("promptTokens", c.promptTokens());
        o.put("completionTokens", c.completionTokens());
        o.put("estimatedCost", d.estimatedCost());
        return o;
    }

    /** {@code {"monthlyUsd": 50.00 or null, "spentUsd": 12.3400, "reached": false}} */
    public static ObjectNode budget(BudgetStatus b) {
        ObjectNode o = object();
        o.put("monthlyUsd", b.monthlyBudget());
        o.put("spentUsd", b.spent());
        o.put("reached", b.reached());
        return o;
    }

    /**
     * {@code {"status": "failed", "events": [{"id", "type", "leadId", "messageId", "createdAt", "status", "attempts",
     * "lastError", "nextAttemptAt", "deliveredAt"}, ...]}}
     */
    public static ObjectNode events(OutboxEvent.Status status, boolean enabled, List<OutboxEvent> events) {
        ObjectNode o = object();
        o.put("status", status.wireName());
        o.put("enabled", enabled);
        ArrayNode list = o.putArray("events");
        for (OutboxEvent e : events) {
            ObjectNode n = list.addObject();
            n.put("id", e.eventId());
            n.put("type", e.type().wireName());
            n.put("leadId", e.leadId());
            n.put("messageId", e.messageId());
            n.put("createdAt", time(e.createdAt()));
            n.put("status", e.status().wireName());
            n.put("attempts", e.attempts());
            n.put("lastError", e.lastError());
            n.put("nextAttemptAt", time(e.nextAttemptAt()));
            n.put("deliveredAt", time(e.deliveredAt()));
        }
        return o;
    }

    public static ObjectNode error(String code, String message) {
        ObjectNode o = object();
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return o;
    }

    public static String time(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t);
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    /** Parses a request body. @throws ApiError 400 {@code invalid_request} when it is not one JSON value */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "The request body is empty; send a JSON object.");
        }
        try {
            JsonNode node = MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
            if (node == null || node.isMissingNode()) {
                throw new ApiError(ErrorCode.INVALID_REQUEST, "The request body is empty; send a JSON object.");
            }
            return node;
        } catch (IOException e) {
            throw new ApiError(ErrorCode.INVALID_REQUEST, "The request body is not valid JSON; send a JSON object such as "
                    + "{\"leadId\": 123, \"message\": \"...\"}.");
        }
    }
}
