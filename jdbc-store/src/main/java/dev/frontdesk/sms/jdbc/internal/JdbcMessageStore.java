package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.MESSAGE_COLUMNS;
import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.DuplicateTwilioSidException;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.LeadNotFoundException;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.StatusResult;
import dev.frontdesk.sms.StatusUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The messages in tables {@code messages} and {@code message_media}, and the texts of other senders in
 * {@code other_sender_messages}. Each change is one transaction; unique keys on the provider SID and on the
 * reply job make a race end in one row. Thread-safe.
 */
public final class JdbcMessageStore implements MessageStore {

    private final Tx tx;
    private final JdbcEventOutbox events;
    private final ChangeAnnouncements changes;

    public JdbcMessageStore(Tx tx, JdbcEventOutbox events, ChangeAnnouncements changes) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.events = Objects.requireNonNull(events, "events");
        this.changes = Objects.requireNonNull(changes, "changes");
    }

    @Override
    public Message recordOutbound(NewOutboundMessage n) {
        Objects.requireNonNull(n, "message");
        return tx.write(h -> changes.message(h, recordOutbound(h, n)));
    }

    /** {@link #recordOutbound(NewOutboundMessage)} on {@code h}, inside the caller's transaction. */
    public static Message recordOutbound(Handle h, NewOutboundMessage n) {
        if (h.createQuery("SELECT id FROM leads WHERE id = :id").bind("id", n.leadId()).mapTo(Long.class)
                .findOne().isEmpty()) {
            throw new LeadNotFoundException("No lead has id " + n.leadId() + ".");
        }
        if (n.replyJobId() != null) {
            Optional<Message> earlier = replyForJob(h, n.replyJobId());
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        h.createUpdate("UPDATE leads SET last_sms_at = :at, last_message_direction = 'outbound' WHERE id = :id")
                .bind("at", ts(n.createdAt())).bind("id", n.leadId()).execute();
        // Two workers recording a reply to the same job at once: the second fails on
        // messages_reply_job_uq and its re-run returns the first one's message above.
        long id = insertMessage(h, n.leadId(), null, Direction.OUTBOUND, n.from(), n.to(), n.body(), n.status(),
                n.errorCode(), n.numSegments(), n.replyJobId(), n.createdAt());
        return new Message(id, n.leadId(), null, Direction.OUTBOUND, n.from(), n.to(), n.body(), n.status(),
                n.errorCode(), n.numSegments(), List.of(), null, null, Rows.stored(n.createdAt()));
    }

    private static long insertMessage(Handle h, long leadId, String sid, Direction direction, String from, String to,
                                      String body, MessageStatus status, String errorCode, Integer numSegments,
                                      Long replyJobId, Instant createdAt) {
        return h.createUpdate("INSERT INTO messages (lead_id, twilio_sid, direction, from_number, to_number, body, status,"
                        + " error_code, num_segments, created_at, reply_job_id)"
                        + " VALUES (:lead, :sid, :dir, :from, :to, :body, :status, :err, :seg, :at, :job)")
                .bind("lead", leadId).bind("sid", sid).bind("dir", direction.wireName()).bind("from", from)
                .bind("to", to).bind("body", body).bind("status", Rows.wire(status)).bind("err", errorCode)
                .bind("seg", numSegments).bind("at", ts(createdAt)).bind("job", replyJobId)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    @Override
    public Optional<Message> findReplyForJob(long replyJobId) {
        return tx.read(h -> replyForJob(h, replyJobId));
    }

    /** The outbound message recorded for a reply job, read on {@code h}. */
    public static Optional<Message> replyForJob(Handle h, long replyJobId) {
        return one(h, h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE reply_job_id = :job")
                .bind("job", replyJobId).map((rs, ctx) -> Rows.message(rs)).findOne());
    }

    @Override
    public Message markSent(long messageId, SendResult result, Instant sentAt) {
        return markSent(messageId, result, sentAt, null);
    }

    @Override
    public Message markSent(long messageId, SendResult result, Instant sentAt, Instant followUpAt) {
        Objects.requireNonNull(result, "result");
        Tx.Dialect dialect = tx.dialect(); // read before the transaction: the first read takes a connection of its own
        return tx.write(h -> {
            Message sent = markSent(h, messageId, result, sentAt, events);
            if (followUpAt != null) {
                FollowUpJobs.schedule(h, dialect, sent.leadId(), followUpAt, sentAt);
            }
            return changes.message(h, sent);
        });
    }

    /** {@link #markSent(long, SendResult, Instant)} on {@code h}, inside the caller's transaction. */
    public static Message markSent(Handle h, long messageId, SendResult result, Instant sentAt, JdbcEventOutbox events) {
        Message m = lockMessage(h, messageId);
        if (m.twilioSid() == null) { // once per message, also when the same answer is recorded again
            events.write(h, EventType.MESSAGE_SENT, m.leadId(), messageId, sentAt);
        }
        Optional<Long> holder = h.createQuery("SELECT id FROM messages WHERE twilio_sid = :sid")
                .bind("sid", result.sid()).mapTo(Long.class).findOne();
        if (holder.isPresent() && holder.get() != messageId) {
            throw new DuplicateTwilioSidException("Twilio SID " + result.sid() + " is already stored for message "
                    + holder.get() + "; message " + messageId + " was not changed.");
        }
        String from = result.from() != null ? result.from() : m.from();
        Integer segments = result.numSegments() != null ? result.numSegments() : m.numSegments();
        // A concurrent markSent with the same SID for another message fails here on
        // messages_twilio_sid_uq; the re-run finds that holder above and throws.
        h.createUpdate("UPDATE messages SET twilio_sid = :sid, from_number = :from, status = :status,"
                        + " num_segments = :seg, sent_at = :sentAt WHERE id = :id")
                .bind("sid", result.sid()).bind("from", from).bind("status", Rows.wire(result.status()))
                .bind("seg", segments).bind("sentAt", ts(sentAt)).bind("id", messageId).execute();
        addUsageChange(h, m, result.sid(), segments);
        return new Message(m.id(), m.leadId(), result.sid(), m.direction(), from, m.to(), m.body(), result.status(),
                m.errorCode(), segments, m.media(), Rows.stored(sentAt), m.deliveredAt(), m.createdAt());
    }

    /**
     * What GET /api/usage counts of {@code m} changes when it gets {@code sid} and {@code segments}: added to its
     * quarter-hour in usage_buckets, in this transaction (an outbound message counts once Twilio accepted it).
     */
    private static void addUsageChange(Handle h, Message m, String sid, Integer segments) {
        long[] before = counted(m.direction(), m.twilioSid(), m.numSegments());
        long[] after = counted(m.direction(), sid, segments);
        UsageBuckets.add(h, m.createdAt(), after[0] - before[0], after[1] - before[1], after[2] - before[2],
                after[3] - before[3], 0, 0, 0);
    }

    /** Inbound messages, outbound accepted by Twilio, their segments (unknown: one), as JdbcUsageLedger.counts counts. */
    private static long[] counted(Direction direction, String sid, Integer segments) {
        int seg = segments == null ? 1 : segments;
        if (direction == Direction.INBOUND) {
            return new long[] {1, 0, seg, 0};
        }
        return sid != null ? new long[] {0, 1, 0, seg} : new long[4];
    }

    @Override
    public Message markFailed(long messageId, MessageStatus status, String errorCode) {
        Objects.requireNonNull(status, "status");
        return tx.write(h -> {
            Message m = lockMessage(h, messageId);
            h.createUpdate("UPDATE messages SET status = :status, error_code = :err WHERE id = :id")
                    .bind("status", Rows.wire(status)).bind("err", errorCode).bind("id", messageId).execute();
            return changes.message(h, new Message(m.id(), m.leadId(), m.twilioSid(), m.direction(), m.from(), m.to(), m.body(),
                    status, errorCode, m.numSegments(), m.media(), m.sentAt(), m.deliveredAt(), m.createdAt()));
        });
    }

    @Override
    public StatusResult applyStatus(StatusUpdate update, Instant now) {
        Objects.requireNonNull(update, "update");
        return tx.write(h -> {
            Optional<Message> found = one(h, h.createQuery("SELECT " + MESSAGE_COLUMNS
                            + " FROM messages WHERE twilio_sid = :sid FOR UPDATE")
                    .bind("sid", update.messageSid()).map((rs, ctx) -> Rows.message(rs)).findOne());
            if (found.isEmpty()) {
                return StatusResult.unknownSid();
            }
            Message m = found.get();
            if (!m.status().canMoveTo(update.status())) {
                return new StatusResult(Optional.of(m), false);
            }
            Instant deliveredAt = m.deliveredAt() == null && update.status() == MessageStatus.DELIVERED
                    ? Rows.stored(now) : m.deliveredAt();
            String errorCode = update.errorCode() != null ? update.errorCode() : m.errorCode();
            h.createUpdate("UPDATE messages SET status = :status, error_code = :err, delivered_at = :d WHERE id = :id")
                    .bind("status", Rows.wire(update.status())).bind("err", errorCode).bind("d", ts(deliveredAt))
                    .bind("id", m.id()).execute();
            if (update.recipientOptedOut()) {
                h.createUpdate("UPDATE leads SET sms_opt_out = TRUE WHERE id = :id").bind("id", m.leadId()).execute();
            }
            return new StatusResult(Optional.of(changes.message(h, new Message(m.id(), m.leadId(), m.twilioSid(), m.direction(),
                    m.from(), m.to(), m.body(), update.status(), errorCode, m.numSegments(), m.media(), m.sentAt(), deliveredAt,
                    m.createdAt()))), true);
        });
    }

    @Override
    public Optional<Message> findMessage(long messageId) {
        return tx.read(h -> message(h, messageId));
    }

    @Override
    public Optional<Message> findMessageBySid(String twilioSid) {
        Objects.requireNonNull(twilioSid, "twilioSid");
        return tx.read(h -> messageBySid(h, twilioSid));
    }

    @Override
    public List<Message> history(long leadId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Tx.Dialect dialect = tx.dialect(); // read before the transaction: the first read takes a connection of its own
        return tx.read(h -> history(h, dialect, leadId, limit));
    }

    /**
     * The hint that names {@code messages_lead_idx} (lead_id, id) in H2's statements: its planner takes the index it
     * made for the lead's foreign key (lead_id alone) instead, whose rows it must all read (and sort) to find a lead's
     * newest or latest outbound message, so each reply to a lead read every message the lead ever had.
     */
    private static String leadIndex(Tx.Dialect dialect) {
        return dialect == Tx.Dialect.H2 ? " USE INDEX (messages_lead_idx)" : "";
    }

    /** A lead's newest {@code :limit} messages, newest first, read backwards along messages_lead_idx. */
    static String historySql(Tx.Dialect dialect) {
        return "SELECT " + MESSAGE_COLUMNS + " FROM messages" + leadIndex(dialect) + " WHERE lead_id = :lead"
                + " ORDER BY lead_id DESC, id DESC FETCH FIRST :limit ROWS ONLY";
    }

    /** {@link #history(long, int)} read on {@code h}, a connection to a {@code dialect} database. */
    public static List<Message> history(Handle h, Tx.Dialect dialect, long leadId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<Message> newestFirst = h.createQuery(historySql(dialect))
                .bind("lead", leadId).bind("limit", limit).map((rs, ctx) -> Rows.message(rs)).list();
        List<Message> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return List.copyOf(Rows.withMedia(h, oldestFirst));
    }

    /** The largest id per lead from messages_lead_idx (lead_id, id), then those rows: one query for a whole page. */
    static final String LAST_MESSAGES = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id IN"
            + " (SELECT MAX(id) FROM messages WHERE lead_id IN (<leads>) GROUP BY lead_id)";

    @Override
    public Map<Long, Message> lastMessages(Collection<Long> leadIds) {
        Objects.requireNonNull(leadIds, "leadIds");
        if (leadIds.isEmpty()) {
            return Map.of();
        }
        return tx.read(h -> {
            List<Message> latest = h.createQuery(LAST_MESSAGES).bindList("leads", List.copyOf(new LinkedHashSet<>(leadIds)))
                    .map((rs, ctx) -> Rows.message(rs)).list();
            Map<Long, Message> byLead = new HashMap<>();
            Rows.withMedia(h, latest).forEach(m -> byLead.put(m.leadId(), m));
            return byLead;
        });
    }

    private static Optional<Message> message(Handle h, long id) {
        return one(h, h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> Rows.message(rs)).findOne());
    }

    /** The message with this provider SID, with its media, read on {@code h}. */
    public static Optional<Message> messageBySid(Handle h, String sid) {
        return one(h, h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE twilio_sid = :sid")
                .bind("sid", sid).map((rs, ctx) -> Rows.message(rs)).findOne());
    }

    private static Message lockMessage(Handle h, long id) {
        return one(h, h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = :id FOR UPDATE")
                .bind("id", id).map((rs, ctx) -> Rows.message(rs)).findOne())
                .orElseThrow(() -> new IllegalArgumentException("No message has id " + id));
    }

    private static Optional<Message> one(Handle h, Optional<Message> m) {
        return m.map(x -> Rows.withMedia(h, List.of(x)).get(0));
    }

    /**
     * When the lead's first inbound message after its latest outbound message and its latest auto-reply note (by
     * time) was stored. Both ends are read along messages_lead_idx (lead_id, id) and stop at their first row: the
     * latest outbound message backwards from the lead's newest message, then the first text after it forwards, so a
     * reply costs the texts since the lead was last answered, not the lead's whole history. The note's subquery runs
     * once, on auto_replies_lead_idx.
     */
    static String firstUnansweredSql(Tx.Dialect dialect) {
        return "SELECT m.created_at AS first_at FROM messages m" + leadIndex(dialect)
                + " WHERE m.lead_id = :lead AND m.direction = 'inbound'"
                + " AND m.id > COALESCE((SELECT o.id FROM messages o" + leadIndex(dialect)
                + " WHERE o.lead_id = :lead AND o.direction = 'outbound' ORDER BY o.lead_id DESC, o.id DESC FETCH FIRST 1 ROWS ONLY), 0)"
                + " AND m.created_at > COALESCE((SELECT MAX(a.created_at) FROM auto_replies a WHERE a.lead_id = :lead), :epoch)"
                + " ORDER BY m.lead_id, m.id FETCH FIRST 1 ROWS ONLY";
    }

    @Override
    public Optional<Instant> firstUnansweredAt(long leadId) {
        Tx.Dialect dialect = tx.dialect();
        return tx.read(h -> firstUnansweredAt(h, dialect, leadId));
    }

    /** {@link #firstUnansweredAt(long)} read on {@code h}, a connection to a {@code dialect} database. */
    public static Optional<Instant> firstUnansweredAt(Handle h, Tx.Dialect dialect, long leadId) {
        return h.createQuery(firstUnansweredSql(dialect))
                .bind("lead", leadId).bind("epoch", ts(Instant.EPOCH))
                .map((rs, ctx) -> Rows.instant(rs, "first_at")).findOne();
    }

    private static final String OTHER_SENDER_COLUMNS = "id, twilio_sid, sender, sender_kind, channel, phone_number,"
            + " to_number, body, num_media, lead_id, created_at";

    @Override
    public List<OtherSenderMessage> otherSenderMessages(int limit) {
        return tx.read(h -> h.createQuery("SELECT " + OTHER_SENDER_COLUMNS + " FROM other_sender_messages ORDER BY id DESC LIMIT :limit")
                .bind("limit", Math.max(limit, 0))
                .map((rs, ctx) -> {
                    String phone = rs.getString("phone_number");
                    long lead = rs.getLong("lead_id");
                    Long leadId = rs.wasNull() ? null : lead;
                    return new OtherSenderMessage(rs.getLong("id"), rs.getString("twilio_sid"),
                            new OtherSender(rs.getString("sender"), OtherSender.Kind.fromWire(rs.getString("sender_kind")),
                                    rs.getString("channel"), phone == null ? null : new PhoneNumber(phone)),
                            rs.getString("to_number"), rs.getString("body"), rs.getInt("num_media"), leadId,
                            Rows.instant(rs, "created_at"));
                }).list());
    }
}
