package dev.frontdesk.sms.twilio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.rest.api.v2010.account.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.SendResult;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Reads Twilio's answer to a send: through the SDK's {@link Message}, or, when the SDK could not read some
 * field this library does not use, leniently from the raw JSON (only the SID, status, segments and sender).
 * Stateless.
 */
public final class TwilioAnswers {
    private static final Pattern SID = Pattern.compile("^(SM|MM)[0-9a-fA-F]{32}$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TwilioAnswers() {
    }

    /** The message's SID, status, segments and sender as the SDK read them. */
    public static SendResult read(Message m) {
        if (m.getSid() == null || m.getSid().isBlank()) {
            throw new IllegalStateException("Twilio's answer has no sid");
        }
        MessageStatus status = m.getStatus() == null ? MessageStatus.QUEUED : MessageStatus.fromWire(m.getStatus().toString());
        Integer segments = null;
        if (m.getNumSegments() != null) {
            try {
                segments = Integer.valueOf(m.getNumSegments().strip());
            } catch (NumberFormatException ignored) {
                segments = null;
            }
        }
        String from = m.getFrom() == null ? null : m.getFrom().toString();
        return new SendResult(m.getSid(), status, segments, from);
    }

    /** Reads sid, status, num_segments and from out of a Message JSON; null when there is no usable sid and status. */
    public static SendResult readLeniently(String body) {
        if (body == null) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            String sid = n.path("sid").asText(null);
            String status = n.path("status").asText(null);
            if (sid == null || !SID.matcher(sid).matches() || status == null) {
                return null;
            }
            Integer segments = null;
            String seg = n.path("num_segments").asText("");
            if (seg.strip().matches("\\d{1,4}")) {
                segments = Integer.valueOf(seg.strip());
            }
            String from = n.path("from").isTextual() ? n.path("from").asText() : null;
            return new SendResult(sid, MessageStatus.fromWire(status), segments, from);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
