package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.EventOutbox;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.LeadNotFoundException;
import dev.frontdesk.sms.OutboxEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The event outbox in table {@code lead_events}. The other parts of the store write its rows inside their own
 * transactions through {@link #write}, which does nothing until {@link #enable()}. Claims work like the reply queue's:
 * on PostgreSQL {@code FOR UPDATE SKIP LOCKED}, elsewhere a read of candidates; either way an {@code UPDATE} repeating
 * the "free" condition takes each row, so two workers never hold one event. Thread-safe.
 */
public final class JdbcEventOutbox implements EventOutbox {

    private static final String COLUMNS = "id, event_id, type, lead_id, message_id, created_at, status, attempts,"
            + " next_attempt_at, delivered_at, last_error";
    private static final String INSERT = "INSERT INTO lead_events (event_id, type, lead_id, message_id, created_at, status,"
            + " attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?)";
    private static final String FREE = "next_attempt_at IS NOT NULL AND next_attempt_at <= :now"
            + " AND (lease_owner IS NULL OR lease_until <= :now)";

    private final Tx tx;
    private volatile boolean enabled;

    public JdbcEventOutbox(Tx tx) {
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    @Override
    public void enable() {
        enabled = true;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    /** Writes an event on {@code h}, in the caller's transaction, when the outbox is enabled. */
    public void write(Handle h, EventType type, long leadId, Long messageId, Instant at) {
        if (enabled) {
            insert(h, type, leadId, messageId, at);
        }
    }

    /** {@link #write(Handle, EventType, long, Long, Instant)} in plain JDBC, for the webhook's transaction. */
    public void write(Connection c, EventType type, long leadId, Long messageId, Instant at) throws SQLException {
        if (!enabled) {
            return;
        }
        Instant stored = Rows.stored(at);
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, OutboxEvent.newEventId());
            ps.setString(2, type.wireName());
            ps.setLong(3, leadId);
            if (messageId == null) {
                ps.setNull(4, Types.BIGINT);
            } else {
                ps.setLong(4, messageId);
            }
            Jdbc.setInstant(ps, 5, stored);
            Jdbc.setInstant(ps, 6, stored);
            ps.executeUpdate();
        }
    }

    private static long insert(Handle h, EventType type, long leadId, Long messageId, Instant at) {
        Instant stored = Rows.stored(at);
        return h.createUpdate("INSERT INTO lead_events (event_id, type, lead_id, message_id, created_at, status, attempts,"
                        + " next_attempt_at) VALUES (:eid, :type, :lead, :message, :at, 'pending', 0, :at)")
                .bind("eid", OutboxEvent.newEventId()).bind("type", type.wireName()).bind("lead", leadId)
                .bind("message", messageId).bind("at", ts(stored))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    @Override
    public OutboxEvent record(EventType type, long leadId, Long messageId, Instant now) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(now, "now");
        return tx.write(h -> {
            JdbcLeadStore.lead(h, leadId).orElseThrow(() -> new LeadNotFoundException("No lead has id " + leadId + "."));
            return one(h, insert(h, type, leadId, messageId, now)).orElseThrow();
        });
    }

    @Override
    public List<OutboxEvent> claim(String workerId, Duration lease, Instant now, int limit) {
        Objects.requireNonNull(workerId, "workerId");
        Instant until = Rows.stored(now.plus(lease));
        boolean skipLocked = tx.dialect() == Tx.Dialect.POSTGRES;
        return tx.write(h -> {
            List<Long> ids = h.createQuery("SELECT id FROM lead_events WHERE " + FREE + " ORDER BY next_attempt_at, id"
                            + " FETCH FIRST :limit ROWS ONLY" + (skipLocked ? " FOR UPDATE SKIP LOCKED" : ""))
                    .bind("now", ts(now)).bind("limit", limit).mapTo(Long.class).list();
            List<Long> taken = new java.util.ArrayList<>();
            for (long id : ids) {
                int n = h.createUpdate("UPDATE lead_events SET lease_owner = :owner, lease_until = :until, attempts = attempts + 1"
                                + " WHERE id = :id AND status = 'pending' AND " + FREE)
                        .bind("owner", workerId).bind("until", ts(until)).bind("id", id).bind("now", ts(now)).execute();
                if (n == 1) {
                    taken.add(id);
                }
            }
            return taken.stream().map(id -> one(h, id).orElseThrow()).toList();
        });
    }

    @Override
    public boolean markDelivered(long id, String workerId, Instant now) {
        return settle(id, workerId, "status = 'delivered', next_attempt_at = NULL, delivered_at = :at, last_error = NULL", now, null);
    }

    @Override
    public boolean retryLater(long id, String workerId, String lastError, Instant nextAttemptAt) {
        return settle(id, workerId, "next_attempt_at = :at, last_error = :error", nextAttemptAt, lastError);
    }

    @Override
    public boolean markFailed(long id, String workerId, String lastError, Instant now) {
        return settle(id, workerId, "status = 'failed', next_attempt_at = NULL, last_error = :error", now, lastError);
    }

    private boolean settle(long id, String workerId, String set, Instant at, String error) {
        String cut = error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
        return tx.write(h -> {
            var update = h.createUpdate("UPDATE lead_events SET " + set + ", lease_owner = NULL, lease_until = NULL"
                    + " WHERE id = :id AND status = 'pending' AND lease_owner = :owner")
                    .bind("id", id).bind("owner", workerId).bind("at", ts(Rows.stored(at)));
            if (set.contains(":error")) {
                update.bind("error", cut);
            }
            return update.execute() == 1;
        });
    }

    @Override
    public List<OutboxEvent> list(OutboxEvent.Status status, int limit) {
        Objects.requireNonNull(status, "status");
        return tx.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM lead_events WHERE status = :status ORDER BY id DESC"
                        + " FETCH FIRST :limit ROWS ONLY")
                .bind("status", status.wireName()).bind("limit", limit).map((rs, ctx) -> event(rs)).list());
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        return tx.read(h -> {
            Optional<Instant> free = h.createQuery("SELECT next_attempt_at FROM lead_events WHERE next_attempt_at IS NOT NULL"
                            + " AND (lease_owner IS NULL OR lease_until <= :now) ORDER BY next_attempt_at, id FETCH FIRST 1 ROWS ONLY")
                    .bind("now", ts(now)).map((rs, ctx) -> Rows.instant(rs, "next_attempt_at")).findOne();
            Optional<Instant> leased = h.createQuery("SELECT MIN(lease_until) AS lease_until FROM lead_events"
                            + " WHERE next_attempt_at IS NOT NULL AND lease_owner IS NOT NULL AND lease_until > :now")
                    .bind("now", ts(now)).map((rs, ctx) -> Optional.ofNullable(Rows.instant(rs, "lease_until"))).one();
            if (free.isEmpty() || leased.isEmpty()) {
                return free.isPresent() ? free : leased;
            }
            return Optional.of(free.get().isBefore(leased.get()) ? free.get() : leased.get());
        });
    }

    private static Optional<OutboxEvent> one(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM lead_events WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> event(rs)).findOne();
    }

    private static OutboxEvent event(ResultSet rs) throws SQLException {
        OutboxEvent.Status status = OutboxEvent.Status.fromWire(rs.getString("status").toLowerCase(Locale.ROOT));
        return new OutboxEvent(rs.getLong("id"), rs.getString("event_id"), EventType.fromWire(rs.getString("type")),
                rs.getLong("lead_id"), Jdbc.nullableLong(rs, "message_id"), Rows.instant(rs, "created_at"), rs.getInt("attempts"),
                Rows.instant(rs, "next_attempt_at"), Rows.instant(rs, "delivered_at"), rs.getString("last_error"), status);
    }
}
