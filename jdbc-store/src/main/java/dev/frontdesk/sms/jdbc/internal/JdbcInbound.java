package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.LEAD_COLUMNS;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.MediaItem;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.StoreChange;
import dev.frontdesk.sms.OutboxEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The webhook's transaction ({@link dev.frontdesk.sms.LeadRepository#recordInbound}): the lead updated or inserted,
 * the message keyed by its MessageSid, media, the reply job and the outbox event, in plain JDBC. On PostgreSQL the
 * common case (a returning customer, a new MessageSid, no media) is one statement of data-modifying CTEs in
 * auto-commit; everything else, and every other database, takes the general path of a few statements in one
 * transaction. Thread-safe.
 */
public final class JdbcInbound {

    private final Tx tx;
    private final JdbcReplyQueue queue;
    private final JdbcEventOutbox events;

    public JdbcInbound(Tx tx, JdbcReplyQueue queue, JdbcEventOutbox events) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** {@link dev.frontdesk.sms.LeadRepository#recordInbound}. */
    public InboundResult record(InboundSms sms, Keyword keyword, Instant now, Duration replyDelay) {
        Objects.requireNonNull(sms, "sms");
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(replyDelay, "replyDelay");
        Instant replyAt = Rows.stored(now.plus(replyDelay));
        if (tx.dialect() == Tx.Dialect.POSTGRES && sms.media().isEmpty()) {
            PgJobAnnouncements announce = queue.announcements();
            boolean withEvent = events.enabled();
            InboundResult done = tx.singleStatement(c -> returningCustomerInOneStatement(c, sms, keyword, now, replyAt, announce,
                    withEvent));
            if (done != null) {
                return done;
            }
        }
        // Every webhook runs this, so it is plain JDBC in as few statements as the checks allow: three for a
        // returning customer (lead update returning the row, message, job) and a fourth, the cancel of a waiting
        // follow-up, where one may wait (not after the customer's own text, as in a burst; always off H2); four for a
        // new number (which has no follow-up). No SELECT
        // ... FOR UPDATE: H2 parses such a query anew every time (it never caches it), so the UPDATE locks. No
        // look-up of the MessageSid first either: its unique key tells a repeated delivery (below), which saves
        // every other text a subquery that H2 evaluated twice per update (before and after locking the row).
        InboundResult result = tx.jdbc(c -> {
            Instant stored = Rows.stored(now);
            // Locks the lead until commit, so concurrent keywords from the same number apply one after the other.
            UpdatedLead updatedLead = tx.dialect() == Tx.Dialect.H2 ? updateLeadSeeingBefore(c, sms, keyword, stored)
                    : updateLead(c, sms, keyword, stored);
            Lead lead = updatedLead == null ? null : updatedLead.lead();
            if (updatedLead == null) {
                // A number never seen before. A concurrent first text from the same number (or a concurrent delivery
                // of the same MessageSid) fails on its unique key here or below; Tx re-runs the whole transaction,
                // which then finds the winner's rows.
                boolean optedOut = keyword.optOutAfter(false);
                String source = sms.channel() == Channel.WHATSAPP ? Lead.SOURCE_WHATSAPP : Lead.SOURCE_SMS;
                try (PreparedStatement ps = c.prepareStatement(INBOUND_NEW_LEAD, ID)) {
                    ps.setString(1, sms.from().value());
                    ps.setString(2, source);
                    Jdbc.setInstant(ps, 3, stored);
                    Jdbc.setInstant(ps, 4, stored);
                    ps.setBoolean(5, optedOut);
                    ps.setString(6, sms.channel().wireName());
                    ps.executeUpdate();
                    lead = new Lead(Jdbc.generatedId(ps), sms.from(), null, source, true, optedOut, stored, stored)
                            .withChannel(sms.channel());
                }
                events.write(c, EventType.LEAD_CREATED, lead.id(), null, stored);
            }
            boolean optOut = lead.smsOptOut();
            long messageId;
            try (PreparedStatement ps = c.prepareStatement(INBOUND_MESSAGE, ID)) {
                ps.setLong(1, lead.id());
                ps.setString(2, sms.messageSid());
                ps.setString(3, sms.fromAddress());
                ps.setString(4, sms.to());
                ps.setString(5, sms.body());
                Jdbc.setNullableInt(ps, 6, sms.numSegments());
                Jdbc.setInstant(ps, 7, stored);
                try {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // A repeated MessageSid: undo the lead's update, then nothing more is written (the stored message
                    // is read below). Not found: it was a concurrent delivery that did not commit; re-run the whole.
                    c.rollback();
                    if (messageIdBySid(c, sms.messageSid()) != null) {
                        return null;
                    }
                    throw e;
                }
                messageId = Jdbc.generatedId(ps);
            }
            events.write(c, EventType.MESSAGE_RECEIVED, lead.id(), messageId, stored);
            List<String> urls = new ArrayList<>();
            if (!sms.media().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(INBOUND_MEDIA)) {
                    int position = 0;
                    for (MediaItem item : sms.media()) {
                        ps.setLong(1, messageId);
                        ps.setInt(2, position++);
                        ps.setString(3, item.url());
                        ps.setString(4, item.contentType());
                        ps.addBatch();
                        urls.add(item.url());
                    }
                    ps.executeBatch();
                }
            }
            if (updatedLead != null && updatedLead.followUpMayWait()) {
                FollowUpJobs.cancel(c, tx.dialect(), lead.id(), stored); // the customer answered: no nudge (a new lead has none)
            }
            Long jobId = null;
            if (keyword.wantsAiReply(optOut)) {
                try (PreparedStatement ps = c.prepareStatement(INBOUND_JOB, ID)) {
                    ps.setLong(1, lead.id());
                    ps.setLong(2, messageId);
                    Jdbc.setInstant(ps, 3, replyAt);
                    Jdbc.setInstant(ps, 4, stored);
                    Jdbc.setInstant(ps, 5, stored);
                    ps.executeUpdate();
                    jobId = Jdbc.generatedId(ps);
                }
            }
            PgJobAnnouncements announce = queue.announcements();
            if (announce != null) { // delivered on commit: other stores' workers (the job) and streams (the text)
                announce.announce(c, jobId == null ? null : replyAt, StoreChange.message(lead.id(), messageId));
            }
            Message m = new Message(messageId, lead.id(), sms.messageSid(), Direction.INBOUND, sms.fromAddress(), sms.to(),
                    sms.body(), MessageStatus.RECEIVED, null, sms.numSegments(), urls, null, null, stored);
            return new InboundResult(lead, m, false, jobId);
        });
        if (result != null) {
            return result;
        }
        // A repeated delivery: the message as stored, with its media, and its lead.
        return tx.read(h -> {
            Message m = JdbcMessageStore.messageBySid(h, sms.messageSid()).orElseThrow();
            return new InboundResult(JdbcLeadStore.lead(h, m.leadId()).orElseThrow(), m, true, null);
        });
    }

    /**
     * PostgreSQL, the common case (a returning customer, a new MessageSid, no media): the lead update, the
     * message and the reply job in one statement of data-modifying CTEs, run in auto-commit, so the webhook
     * costs the database one round trip and one commit, as a single INSERT would. {@code null} when the
     * number is new or the MessageSid known (nothing was written); the general path then decides.
     */
    private static InboundResult returningCustomerInOneStatement(Connection c, InboundSms sms, Keyword keyword, Instant now,
            Instant replyAt, PgJobAnnouncements announce, boolean withEvent) throws SQLException {
        if (!c.getAutoCommit()) {
            return null; // a host's pool that hands out connections inside a transaction: take the general path
        }
        Instant stored = Rows.stored(now);
        try (PreparedStatement ps = c.prepareStatement(pgInbound(announce != null, withEvent))) {
            int i = bindLeadUpdate(ps, sms, keyword, stored);
            ps.setString(++i, sms.messageSid()); // the update's NOT EXISTS
            ps.setString(++i, sms.messageSid());
            ps.setString(++i, sms.fromAddress());
            ps.setString(++i, sms.to());
            ps.setString(++i, sms.body());
            Jdbc.setNullableInt(ps, ++i, sms.numSegments());
            Jdbc.setInstant(ps, ++i, stored);
            Jdbc.setInstant(ps, ++i, replyAt);
            ps.setBoolean(++i, keyword == Keyword.NONE); // Keyword.wantsAiReply, with the opt-out as updated
            if (withEvent) {
                ps.setString(++i, OutboxEvent.newEventId());
            }
            if (announce != null) {
                ps.setString(++i, announce.payload(replyAt));
                ps.setString(++i, announce.payloadWithoutJob());
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Lead lead = Rows.leadInOrder(rs);
                long messageId = rs.getLong("message_id");
                Long jobId = Jdbc.nullableLong(rs, "job_id");
                Message m = new Message(messageId, lead.id(), sms.messageSid(), Direction.INBOUND, sms.fromAddress(), sms.to(),
                        sms.body(), MessageStatus.RECEIVED, null, sms.numSegments(), List.of(), null, null, stored);
                return new InboundResult(lead, m, false, jobId);
            }
        }
    }

    private static final String[] ID = {"id"};
    private static final String[] LEAD_COLUMN_NAMES = LEAD_COLUMNS.split(",\\s*");
    private static final String INBOUND_NEW_LEAD = "INSERT INTO leads (phone_number, source, created_at, sms_enabled,"
            + " last_sms_at, sms_opt_out, last_message_direction, channel) VALUES (?, ?, ?, TRUE, ?, ?, 'inbound', ?)";
    /** Parameters: the time, STOP?, START?, the channel, the number; as {@link Keyword#optOutAfter}. */
    private static final String INBOUND_LEAD_UPDATE_BY_NUMBER = "UPDATE leads SET sms_enabled = TRUE, last_sms_at = ?,"
            + " last_message_direction = 'inbound',"
            + " sms_opt_out = CASE WHEN ? THEN TRUE WHEN ? THEN FALSE ELSE sms_opt_out END"
            + " WHERE channel = ? AND phone_number = ?";
    private static final String DIRECTION_INBOUND = Direction.INBOUND.wireName();
    /**
     * {@link #INBOUND_LEAD_UPDATE_BY_NUMBER} on H2, giving back the row as it was before (H2's data change delta table),
     * with its {@code last_message_direction} after the lead's columns; the same parameters.
     */
    private static final String H2_INBOUND_LEAD_UPDATE = "SELECT " + LEAD_COLUMNS + ", last_message_direction FROM OLD TABLE ("
            + INBOUND_LEAD_UPDATE_BY_NUMBER + ")";
    /** {@link #INBOUND_LEAD_UPDATE_BY_NUMBER} that changes nothing for a MessageSid already stored; one more parameter, the SID. */
    private static final String INBOUND_LEAD_UPDATE = INBOUND_LEAD_UPDATE_BY_NUMBER
            + " AND NOT EXISTS (SELECT 1 FROM messages WHERE twilio_sid = ?)";
    /** SQLState of a unique violation, on PostgreSQL and on H2. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String INBOUND_MESSAGE = "INSERT INTO messages (lead_id, twilio_sid, direction, from_number,"
            + " to_number, body, status, num_segments, created_at) VALUES (?, ?, 'inbound', ?, ?, ?, 'received', ?, ?)";
    private static final String INBOUND_MEDIA =
            "INSERT INTO message_media (message_id, position, url, content_type) VALUES (?, ?, ?, ?)";
    private static final String INBOUND_JOB = "INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts, run_at,"
            + " created_at, updated_at) VALUES (?, ?, FALSE, 0, ?, ?, ?)";

    /**
     * {@link #INBOUND_LEAD_UPDATE}, {@link #INBOUND_MESSAGE}, {@link #INBOUND_JOB} and the cancel of the lead's waiting
     * follow-up ({@link FollowUpJobs#PG_CANCEL_CTE}) as one PostgreSQL statement.
     */
    private static final String PG_INBOUND = "WITH l AS (" + INBOUND_LEAD_UPDATE + " RETURNING " + LEAD_COLUMNS + "),"
            + " m AS (INSERT INTO messages (lead_id, twilio_sid, direction, from_number, to_number, body, status,"
            + " num_segments, created_at) SELECT l.id, ?, 'inbound', ?, ?, ?, 'received', ?, ? FROM l RETURNING id, created_at),"
            + " j AS (INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts, run_at, created_at, updated_at)"
            + " SELECT l.id, m.id, FALSE, 0, ?, m.created_at, m.created_at FROM l, m"
            + " WHERE ? AND NOT l.sms_opt_out RETURNING id)" + FollowUpJobs.PG_CANCEL_CTE
            + " SELECT l.*, (SELECT id FROM m) AS message_id, (SELECT id FROM j) AS job_id FROM l";
    /** The event of {@link #PG_INBOUND}'s message, when the outbox is enabled; its parameter is the event id. */
    private static final String PG_INBOUND_EVENT = ", e AS (INSERT INTO lead_events (event_id, type, lead_id, message_id,"
            + " created_at, status, attempts, next_attempt_at) SELECT ?, '" + EventType.MESSAGE_RECEIVED.wireName() + "', l.id,"
            + " m.id, m.created_at, 'pending', 0, m.created_at FROM l, m)";
    private static final String PG_INBOUND_RESULT = " SELECT l.*, (SELECT id FROM m) AS message_id";
    /** {@link #PG_INBOUND} with or without the event, and that also announces the job, if one was inserted, or not. */
    private static final String[] PG_INBOUND_VARIANTS = new String[4];

    static {
        for (int v = 0; v < 4; v++) {
            String sql = (v & 2) != 0 ? PG_INBOUND.replace(PG_INBOUND_RESULT, PG_INBOUND_EVENT + PG_INBOUND_RESULT) : PG_INBOUND;
            if ((v & 1) != 0) {
                sql = sql.substring(0, sql.length() - " FROM l".length()) + ", " + PgJobAnnouncements.NOTIFY_INBOUND + " AS announced FROM l";
            }
            PG_INBOUND_VARIANTS[v] = sql;
        }
    }

    private static String pgInbound(boolean announced, boolean withEvent) {
        return PG_INBOUND_VARIANTS[(announced ? 1 : 0) | (withEvent ? 2 : 0)];
    }


    /** Binds {@link #INBOUND_LEAD_UPDATE_BY_NUMBER}'s parameters from the first; returns the index of the last one. */
    private static int bindLeadUpdate(PreparedStatement ps, InboundSms sms, Keyword keyword, Instant stored) throws SQLException {
        Jdbc.setInstant(ps, 1, stored);
        ps.setBoolean(2, keyword == Keyword.OPT_OUT);
        ps.setBoolean(3, keyword == Keyword.OPT_IN);
        ps.setString(4, sms.channel().wireName());
        ps.setString(5, sms.from().value());
        return 5;
    }

    /**
     * The lead as the webhook's update left it, and whether a follow-up of it may be waiting (to be cancelled): one is
     * scheduled only while the lead's last message is the business's ({@link FollowUpJobs#schedule}), so none is after
     * the customer's own text, which is what a burst of texts has.
     */
    private record UpdatedLead(Lead lead, boolean followUpMayWait) {
    }

    /** {@link #INBOUND_LEAD_UPDATE_BY_NUMBER}; null when no lead has the number. */
    private static UpdatedLead updateLead(Connection c, InboundSms sms, Keyword keyword, Instant stored) throws SQLException {
        // The changed row comes back as "generated keys" (RETURNING on PostgreSQL), so no SELECT follows.
        try (PreparedStatement ps = c.prepareStatement(INBOUND_LEAD_UPDATE_BY_NUMBER, LEAD_COLUMN_NAMES)) {
            bindLeadUpdate(ps, sms, keyword, stored);
            if (ps.executeUpdate() == 0) {
                return null;
            }
            Lead lead;
            try (ResultSet rs = ps.getGeneratedKeys()) {
                lead = rs.next() ? Rows.leadInOrder(rs) : null;
            }
            return new UpdatedLead(lead != null ? lead : leadByPhone(c, sms), true); // a driver without the updated row: read it
        }
    }

    /**
     * {@link #INBOUND_LEAD_UPDATE_BY_NUMBER} on H2, reading the row as it was (to know whose message was last, which spares
     * most texts the follow-up cancel); the row as updated follows from it. Null when no lead has the number.
     */
    private static UpdatedLead updateLeadSeeingBefore(Connection c, InboundSms sms, Keyword keyword, Instant stored)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(H2_INBOUND_LEAD_UPDATE)) {
            bindLeadUpdate(ps, sms, keyword, stored);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new UpdatedLead(afterInbound(Rows.leadInOrder(rs), keyword, stored),
                        !DIRECTION_INBOUND.equals(rs.getString(LEAD_COLUMN_NAMES.length + 1)));
            }
        }
    }

    /** {@code before} as {@link #INBOUND_LEAD_UPDATE_BY_NUMBER} leaves it. */
    private static Lead afterInbound(Lead before, Keyword keyword, Instant stored) {
        return new Lead(before.id(), before.phoneNumber(), before.name(), before.source(), true,
                keyword.optOutAfter(before.smsOptOut()), stored,
                before.createdAt(), before.aiEnabled(), before.aiPausedUntil(), before.qualification(),
                before.afterHoursNoticeAt(), before.channel());
    }

    private static Lead leadByPhone(Connection c, InboundSms sms) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + LEAD_COLUMNS + " FROM leads WHERE channel = ? AND phone_number = ?")) {
            ps.setString(1, sms.channel().wireName());
            ps.setString(2, sms.from().value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("The lead just updated was not found", "02000");
                }
                return Rows.leadInOrder(rs);
            }
        }
    }

    private static Long messageIdBySid(Connection c, String sid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM messages WHERE twilio_sid = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
