package dev.frontdesk.sms.jdbc.internal;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.ReplyJob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;

/**
 * Row mapping and the one way instants cross JDBC: as {@link OffsetDateTime} at UTC into
 * {@code TIMESTAMP WITH TIME ZONE}, truncated to microseconds (PostgreSQL's precision, applied on H2 too
 * so both give back exactly what the other would). Never through {@code java.sql.Timestamp}, whose
 * conversions depend on the JVM's default time zone.
 */
public final class Rows {

    public static final String LEAD_COLUMNS =
            "id, phone_number, name, source, sms_enabled, sms_opt_out, last_sms_at, created_at, ai_enabled, ai_paused_until,"
            + " qualification_name, qualification_service, qualification_address, qualification_urgency,"
            + " qualification_preferred_time, qualification_staff_fields, after_hours_notice_at, channel";
    public static final String MESSAGE_COLUMNS = "id, lead_id, twilio_sid, direction, from_number, to_number, body, status,"
            + " error_code, num_segments, sent_at, delivered_at, created_at";
    public static final String JOB_COLUMNS = "id, lead_id, inbound_message_id, attempts, lease_owner, lease_until, created_at, kind";

    private Rows() {
    }

    /** The instant as the store keeps it: microsecond precision. */
    public static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** A bind argument for a {@code TIMESTAMP WITH TIME ZONE} column. */
    public static Argument ts(Instant instant) {
        return (position, statement, ctx) -> Jdbc.setInstant(statement, position, instant);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Lead lead(ResultSet rs) throws SQLException {
        return new Lead(rs.getLong("id"), new PhoneNumber(rs.getString("phone_number")), rs.getString("name"),
                rs.getString("source"), rs.getBoolean("sms_enabled"), rs.getBoolean("sms_opt_out"),
                instant(rs, "last_sms_at"), instant(rs, "created_at"), rs.getBoolean("ai_enabled"),
                instant(rs, "ai_paused_until"),
                new Qualification(rs.getString("qualification_name"), rs.getString("qualification_service"),
                        rs.getString("qualification_address"), rs.getString("qualification_urgency"),
                        rs.getString("qualification_preferred_time"),
                        Qualification.staffEditedFromWire(rs.getString("qualification_staff_fields"))),
                instant(rs, "after_hours_notice_at"), Channel.fromWire(rs.getString("channel")));
    }

    /**
     * {@link #lead} of a row whose first columns are {@link #LEAD_COLUMNS} in that order (a {@code RETURNING} or generated
     * keys of the webhook's update), read by position: looking each column up by name was about a third of the mapping's CPU in
     * the webhook's profile on H2 (JFR).
     */
    public static Lead leadInOrder(ResultSet rs) throws SQLException {
        return new Lead(rs.getLong(1), new PhoneNumber(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                rs.getBoolean(6), instant(rs, 7), instant(rs, 8), rs.getBoolean(9), instant(rs, 10),
                new Qualification(rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                        Qualification.staffEditedFromWire(rs.getString(16))),
                instant(rs, 17), Channel.fromWire(rs.getString(18)));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A message without its media; {@link #withMedia} adds them. */
    public static Message message(ResultSet rs) throws SQLException {
        int segments = rs.getInt("num_segments");
        Integer numSegments = rs.wasNull() ? null : segments;
        return new Message(rs.getLong("id"), rs.getLong("lead_id"), rs.getString("twilio_sid"),
                Direction.fromWire(rs.getString("direction")), rs.getString("from_number"), rs.getString("to_number"),
                rs.getString("body"), status(rs.getString("status")), rs.getString("error_code"), numSegments, List.of(),
                instant(rs, "sent_at"), instant(rs, "delivered_at"), instant(rs, "created_at"));
    }

    public static ReplyJob job(ResultSet rs) throws SQLException {
        return new ReplyJob(rs.getLong("id"), rs.getLong("lead_id"), rs.getLong("inbound_message_id"), rs.getInt("attempts"),
                rs.getString("lease_owner"), instant(rs, "lease_until"), instant(rs, "created_at"),
                ReplyJob.Kind.fromWire(rs.getString("kind")));
    }

    public static String wire(MessageStatus status) {
        return status.wireName();
    }

    static MessageStatus status(String wire) {
        return MessageStatus.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    private record MediaRow(long messageId, String url) {
    }

    /** The same messages, in the same order, each with its media URLs read in one query. */
    public static List<Message> withMedia(Handle h, List<Message> messages) {
        if (messages.isEmpty()) {
            return messages;
        }
        Map<Long, List<String>> media = new LinkedHashMap<>();
        h.createQuery("SELECT message_id, url FROM message_media WHERE message_id IN (<ids>) ORDER BY message_id, position")
                .bindList("ids", messages.stream().map(Message::id).toList())
                .map((rs, ctx) -> new MediaRow(rs.getLong("message_id"), rs.getString("url")))
                .forEach(r -> media.computeIfAbsent(r.messageId(), k -> new ArrayList<>()).add(r.url()));
        if (media.isEmpty()) {
            return messages;
        }
        List<Message> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            List<String> urls = media.get(m.id());
            out.add(urls == null ? m : new Message(m.id(), m.leadId(), m.twilioSid(), m.direction(), m.from(), m.to(),
                    m.body(), m.status(), m.errorCode(), m.numSegments(), urls, m.sentAt(), m.deliveredAt(), m.createdAt()));
        }
        return out;
    }
}
