package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.OwnerAlert;
import dev.frontdesk.sms.OwnerAlerts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The owner alerts in table {@code owner_alerts}. The other parts of the store write its rows inside their own
 * transactions through {@link #write}, which does nothing until {@link #enable()}: an insert guarded by "none yet for
 * this lead and reason", behind the lead's row lock the caller holds; should two writers still meet, the unique key
 * {@code owner_alerts_lead_reason_uq} fails the second and {@link Tx} re-runs its transaction, which then finds the
 * row. Claims work like the event outbox's ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL, then an {@code UPDATE}
 * repeating the "free" condition), so two workers never hold one alert. Thread-safe.
 */
public final class JdbcOwnerAlerts implements OwnerAlerts {

    private static final String COLUMNS = "id, lead_id, reason, message_id, created_at, status, attempts, next_attempt_at,"
            + " sent_at, twilio_sid, last_error";
    private static final String FREE = "next_attempt_at IS NOT NULL AND next_attempt_at <= :now"
            + " AND (lease_owner IS NULL OR lease_until <= :now)";

    private final Tx tx;
    private volatile boolean enabled;

    public JdbcOwnerAlerts(Tx tx) {
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

    /**
     * Records an alert for each of {@code reasons} the lead has none for yet, quoting its latest inbound message, on
     * {@code h} in the caller's transaction, when alerts are enabled. The caller holds the lead's row lock.
     */
    public void write(Handle h, long leadId, Set<OwnerAlert.Reason> reasons, Instant at) {
        if (!enabled || reasons.isEmpty()) {
            return;
        }
        Long quoted = h.createQuery("SELECT MAX(id) FROM messages WHERE lead_id = :lead AND direction = 'inbound'")
                .bind("lead", leadId).mapTo(Long.class).findOne().orElse(null);
        Instant stored = Rows.stored(at);
        for (OwnerAlert.Reason reason : reasons) {
            h.createUpdate("INSERT INTO owner_alerts (lead_id, reason, message_id, created_at, status, attempts, next_attempt_at)"
                            + " SELECT :lead, :reason, :message, :at, 'pending', 0, :at FROM leads WHERE id = :lead"
                            + " AND NOT EXISTS (SELECT 1 FROM owner_alerts WHERE lead_id = :lead AND reason = :reason)")
                    .bind("lead", leadId).bind("reason", reason.wireName()).bind("message", quoted).bind("at", ts(stored))
                    .execute();
        }
    }

    @Override
    public List<OwnerAlert> claim(String workerId, Duration lease, Instant now, int limit) {
        Objects.requireNonNull(workerId, "workerId");
        Instant until = Rows.stored(now.plus(lease));
        boolean skipLocked = tx.dialect() == Tx.Dialect.POSTGRES;
        return tx.write(h -> {
            List<Long> ids = h.createQuery("SELECT id FROM owner_alerts WHERE " + FREE + " ORDER BY next_attempt_at, id"
                            + " FETCH FIRST :limit ROWS ONLY" + (skipLocked ? " FOR UPDATE SKIP LOCKED" : ""))
                    .bind("now", ts(now)).bind("limit", limit).mapTo(Long.class).list();
            List<OwnerAlert> taken = new ArrayList<>();
            for (long id : ids) {
                int n = h.createUpdate("UPDATE owner_alerts SET lease_owner = :owner, lease_until = :until, attempts = attempts + 1"
                                + " WHERE id = :id AND status = 'pending' AND " + FREE)
                        .bind("owner", workerId).bind("until", ts(until)).bind("id", id).bind("now", ts(now)).execute();
                if (n == 1) {
                    taken.add(h.createQuery("SELECT " + COLUMNS + " FROM owner_alerts WHERE id = :id").bind("id", id)
                            .map((rs, ctx) -> alert(rs)).one());
                }
            }
            return taken;
        });
    }

    @Override
    public boolean markSent(long id, String workerId, String twilioSid, Instant now) {
        return tx.write(h -> h.createUpdate("UPDATE owner_alerts SET status = 'sent', next_attempt_at = NULL, sent_at = :at,"
                        + " twilio_sid = :sid, last_error = NULL, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = :id AND status = 'pending' AND lease_owner = :owner")
                .bind("at", ts(Rows.stored(now))).bind("sid", twilioSid).bind("id", id).bind("owner", workerId).execute() == 1);
    }

    @Override
    public boolean retryLater(long id, String workerId, String lastError, Instant nextAttemptAt) {
        return settle(id, workerId, "next_attempt_at = :at", nextAttemptAt, lastError);
    }

    @Override
    public boolean markFailed(long id, String workerId, String lastError, Instant now) {
        return settle(id, workerId, "status = 'failed', next_attempt_at = NULL", now, lastError);
    }

    private boolean settle(long id, String workerId, String set, Instant at, String error) {
        String cut = error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
        return tx.write(h -> {
            var update = h.createUpdate("UPDATE owner_alerts SET " + set + ", last_error = :error, lease_owner = NULL,"
                    + " lease_until = NULL WHERE id = :id AND status = 'pending' AND lease_owner = :owner")
                    .bind("id", id).bind("owner", workerId).bind("error", cut);
            if (set.contains(":at")) {
                update.bind("at", ts(Rows.stored(at)));
            }
            return update.execute() == 1;
        });
    }

    @Override
    public List<OwnerAlert> forLead(long leadId) {
        return tx.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM owner_alerts WHERE lead_id = :lead ORDER BY id")
                .bind("lead", leadId).map((rs, ctx) -> alert(rs)).list());
    }

    @Override
    public Optional<Instant> nextDueAt(Instant now) {
        return tx.read(h -> {
            Optional<Instant> free = h.createQuery("SELECT next_attempt_at FROM owner_alerts WHERE next_attempt_at IS NOT NULL"
                            + " AND (lease_owner IS NULL OR lease_until <= :now) ORDER BY next_attempt_at, id FETCH FIRST 1 ROWS ONLY")
                    .bind("now", ts(now)).map((rs, ctx) -> Rows.instant(rs, "next_attempt_at")).findOne();
            Optional<Instant> leased = h.createQuery("SELECT MIN(lease_until) AS lease_until FROM owner_alerts"
                            + " WHERE next_attempt_at IS NOT NULL AND lease_owner IS NOT NULL AND lease_until > :now")
                    .bind("now", ts(now)).map((rs, ctx) -> Optional.ofNullable(Rows.instant(rs, "lease_until"))).one();
            if (free.isEmpty() || leased.isEmpty()) {
                return free.isPresent() ? free : leased;
            }
            return Optional.of(free.get().isBefore(leased.get()) ? free.get() : leased.get());
        });
    }

    private static OwnerAlert alert(ResultSet rs) throws SQLException {
        return new OwnerAlert(rs.getLong("id"), rs.getLong("lead_id"), OwnerAlert.Reason.fromWire(rs.getString("reason")),
                Jdbc.nullableLong(rs, "message_id"), Rows.instant(rs, "created_at"),
                OwnerAlert.Status.fromWire(rs.getString("status")), rs.getInt("attempts"), Rows.instant(rs, "next_attempt_at"),
                Rows.instant(rs, "sent_at"), rs.getString("twilio_sid"), rs.getString("last_error"));
    }
}
