package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.LeadNotFoundException;
import dev.frontdesk.sms.ReplyJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * A lead's follow-up ({@link ReplyJob.Kind#FOLLOW_UP}) in table {@code reply_jobs}: scheduled in the transaction that
 * records a business text as sent (unless the customer wrote since), cancelled in the one that records the customer's
 * next text or opt-out. A lead has
 * at most one follow-up waiting: scheduling locks the lead's row first, so two texts sent to one lead at once schedule
 * one after the other and the second replaces the first's. Only a follow-up no worker holds is replaced or cancelled;
 * one being run checks again from the store before it texts (and not waiting for its lease keeps the webhook from
 * queueing behind a worker that holds the row while it locks the lead). Stateless.
 */
public final class FollowUpJobs {

    /** The stored kind. */
    public static final String KIND = ReplyJob.Kind.FOLLOW_UP.wireName();

    /** Where a lead's waiting follow-ups are: {@code :lead} names the lead, {@code :now} is the time. */
    private static final String WAITING = "lead_id = :lead AND done = FALSE AND kind = '" + KIND + "'"
            + " AND (lease_owner IS NULL OR lease_until <= :now)";

    /** Cancels the lead's waiting follow-ups. */
    private static final String CANCEL = "UPDATE reply_jobs SET done = TRUE, lease_owner = NULL, updated_at = :now WHERE " + WAITING;

    /**
     * {@link #CANCEL} for H2, whose planner takes the index it made for the lead's foreign key (lead_id alone) over
     * {@code reply_jobs_lead_idx} (lead_id, done, kind, id) once its statistics say that done and kind hold two or three
     * values, and so reads every job the lead ever had; an UPDATE takes no index hint in H2, its subquery does.
     */
    private static final String CANCEL_H2 = "UPDATE reply_jobs SET done = TRUE, lease_owner = NULL, updated_at = :now"
            + " WHERE id IN (SELECT id FROM reply_jobs USE INDEX (reply_jobs_lead_idx) WHERE " + WAITING + ")";

    /** {@link #CANCEL} and {@link #CANCEL_H2} with positional parameters: the time, the lead id, the time again. */
    private static final String CANCEL_JDBC = positional(CANCEL);
    private static final String CANCEL_JDBC_H2 = positional(CANCEL_H2);

    /**
     * {@link #CANCEL} as a data-modifying CTE of the webhook's one PostgreSQL statement, whose CTE {@code l} is the
     * updated lead and {@code m} the inserted message: no statement of its own.
     */
    public static final String PG_CANCEL_CTE = ", f AS (" + CANCEL.replace(":now", "(SELECT created_at FROM m)")
            .replace(":lead", "(SELECT id FROM l)") + ")";

    private FollowUpJobs() {
    }

    /**
     * Replaces the lead's waiting follow-up by one due at {@code runAt}, inside the caller's transaction on a {@code dialect}
     * database; none when the customer's text is the lead's last message (they wrote while this text was being sent: the
     * floor is theirs, and their text is answered on its own). So a follow-up waits only while the business's text is
     * the last, which the webhook relies on to skip the cancel after the customer's own text.
     */
    public static void schedule(Handle h, Tx.Dialect dialect, long leadId, Instant runAt, Instant now) {
        String last = h.createQuery("SELECT last_message_direction FROM leads WHERE id = :id FOR UPDATE").bind("id", leadId)
                .mapTo(String.class).findOne().orElseThrow(() -> new LeadNotFoundException("No lead has id " + leadId + "."));
        if (Direction.INBOUND.wireName().equals(last)) {
            return;
        }
        cancel(h, dialect, leadId, now);
        h.createUpdate("INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts, run_at, created_at, updated_at, kind)"
                        + " VALUES (:lead, NULL, FALSE, 0, :runAt, :now, :now, '" + KIND + "')")
                .bind("lead", leadId).bind("runAt", ts(Rows.stored(runAt))).bind("now", ts(Rows.stored(now))).execute();
    }

    /** Cancels the lead's waiting follow-up, inside the caller's transaction on a {@code dialect} database. */
    public static void cancel(Handle h, Tx.Dialect dialect, long leadId, Instant now) {
        h.createUpdate(cancel(dialect)).bind("now", ts(Rows.stored(now))).bind("lead", leadId).execute();
    }

    private static String cancel(Tx.Dialect dialect) {
        return dialect == Tx.Dialect.H2 ? CANCEL_H2 : CANCEL;
    }

    /**
     * Whether {@code jobId} is a follow-up and its lead texted after it was scheduled: a text that came while a worker
     * held the follow-up (so it was not cancelled). Read after the lead's row is locked, so a webhook that locked it
     * first has committed its message.
     */
    public static boolean customerWroteSince(Handle h, long jobId) {
        return h.createQuery("SELECT COUNT(*) FROM reply_jobs j WHERE j.id = :id AND j.kind = '" + KIND + "' AND EXISTS"
                        + " (SELECT 1 FROM messages m WHERE m.lead_id = j.lead_id AND m.direction = 'inbound' AND m.created_at > j.created_at)")
                .bind("id", jobId).mapTo(Long.class).one() > 0;
    }

    /** The webhook's cancel on {@code dialect}, with positional parameters: the time, the lead id, the time again. */
    static String cancelSql(Tx.Dialect dialect) {
        return dialect == Tx.Dialect.H2 ? CANCEL_JDBC_H2 : CANCEL_JDBC;
    }

    private static String positional(String cancel) {
        return cancel.replaceFirst(":now", "?").replace(":lead", "?").replace(":now", "?");
    }

    /** {@link #cancel(Handle, Tx.Dialect, long, Instant)} on a plain connection (the webhook's transaction) to a {@code dialect} database. */
    public static void cancel(Connection c, Tx.Dialect dialect, long leadId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(cancelSql(dialect))) {
            Jdbc.setInstant(ps, 1, now);
            ps.setLong(2, leadId);
            Jdbc.setInstant(ps, 3, now);
            ps.executeUpdate();
        }
    }
}
