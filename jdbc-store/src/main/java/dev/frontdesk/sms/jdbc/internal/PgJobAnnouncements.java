package dev.frontdesk.sms.jdbc.internal;

import dev.frontdesk.sms.StoreChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announcements of reply jobs, and of lead and message changes, between processes on PostgreSQL, with
 * {@code LISTEN}/{@code NOTIFY}.
 *
 * <p>Payloads: {@code token due} (a job), {@code token due|- m leadId messageId} (a message stored or changed, with
 * the job it enqueued, if any), {@code token - l leadId} (a lead's own fields). Change announcements run in the
 * writer's transaction too ({@link ChangeAnnouncements}); a store's listener passes over its own and hands other
 * stores' changes to {@link #listenChanges} subscribers, on the same connection and thread as the jobs.
 *
 * <p>A store that enqueues a job or gives one back runs {@link #NOTIFY} in the same transaction, so the
 * announcement is delivered only when the job is committed. Its payload ({@link #payload}) is the store's token and when
 * the job is due: a store's own listener passes over its own announcements (the front desk wakes
 * its own workers for those), and another store's workers claim the job when it is due, not before (a claim before
 * would find nothing and cost a transaction).
 * The channel is named after the current schema, so stores in other schemas of the same database do not
 * wake each other.
 *
 * <p>While anyone subscribes ({@link #listen}, {@link #listenChanges}), the store holds one connection of its own, opened from a data source that is not the store's
 * pool, and waits on it for notifications in a thread of its own; a lost connection is opened again with
 * backoff (0.5 s doubling to 30 s, with jitter), and every (re)connection wakes once, for announcements
 * missed meanwhile. The connection is checked once a minute, so that one the network dropped without a word
 * is noticed. Thread-safe.
 */
public final class PgJobAnnouncements {

    private static final Logger log = LoggerFactory.getLogger(PgJobAnnouncements.class);

    /** The channel, as an SQL expression: at most 47 characters whatever the schema's name. */
    static final String CHANNEL = "'frontdesk_jobs_' || md5(coalesce(current_schema(), ''))";
    /** Announces a job, when the transaction commits; the one parameter is the {@link #payload}. */
    public static final String NOTIFY = "SELECT pg_notify(" + CHANNEL + ", ?)";
    /**
     * {@link #NOTIFY} of an inbound text, as a scalar subquery over the CTEs {@code l} (the lead), {@code m} (the message)
     * and {@code j} (the job, if one was inserted): parameters {@link #payload(Instant)} and {@link #payloadWithoutJob()};
     * the payload ends in {@code m leadId messageId}, so other stores' streams hear of the text and their workers of its job.
     */
    public static final String NOTIFY_INBOUND = "(SELECT pg_notify(" + CHANNEL + ", CASE WHEN EXISTS (SELECT 1 FROM j) THEN ?"
            + " ELSE ? END || ' m ' || l.id || ' ' || m.id) FROM m)";

    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** How long one wait for notifications lasts before the thread looks whether it was closed. */
    private static final int WAIT_MILLIS = 500;
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final DataSource source;
    private final String token = UUID.randomUUID().toString();

    /** @param source plain connections (not a pool) to the store's database and schema */
    public PgJobAnnouncements(DataSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The payload announcing a job due at {@code due}: this store's token, a space, the due time in epoch milliseconds. */
    public String payload(Instant due) {
        return token + " " + due.toEpochMilli();
    }

    /** The start of the payload of a change without a job: the token and {@code -}. */
    public String payloadWithoutJob() {
        return token + " -";
    }

    /**
     * The payload announcing {@code change} without a job: the token, {@code -} (no job), then {@code m leadId messageId}
     * or {@code l leadId}. An inbound text's one statement builds the same shape in SQL with its job's due time.
     */
    String payload(StoreChange change) {
        return payload(null, change);
    }

    /** The payload of {@code change} and, unless {@code due} is null, of a job due then. */
    private String payload(Instant due, StoreChange change) {
        return token + " " + (due == null ? "-" : Long.toString(due.toEpochMilli())) + " "
                + (change.kind() == StoreChange.Kind.MESSAGE ? "m " + change.leadId() + " " + change.messageId() : "l " + change.leadId());
    }

    /** When the job {@code payload} announces is due; null when the payload does not say (it is due now). */
    static Instant due(String payload) {
        String[] parts = payload.split(" ");
        if (parts.length < 2) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether {@code payload} announces a job ({@code -} in place of the due time: a change alone). */
    static boolean announcesJob(String payload) {
        String[] parts = payload.split(" ");
        return parts.length < 2 || !"-".equals(parts[1]);
    }

    /** The lead or message change {@code payload} carries, or null when it carries none. */
    static StoreChange change(String payload) {
        String[] parts = payload.split(" ");
        try {
            if (parts.length == 5 && "m".equals(parts[2])) {
                return StoreChange.message(Long.parseLong(parts[3]), Long.parseLong(parts[4]));
            }
            if (parts.length == 4 && "l".equals(parts[2])) {
                return StoreChange.lead(Long.parseLong(parts[3]));
            }
        } catch (IllegalArgumentException e) {
            return null; // not one of ours
        }
        return null;
    }

    /** Runs {@link #NOTIFY} for {@code change} in {@code h}'s transaction: other stores' streams hear of it on commit. */
    public void announce(Handle h, StoreChange change) {
        announce(h, null, change);
    }

    /** Announces {@code change} and, unless {@code due} is null, a job due then, on a plain connection in its transaction. */
    public void announce(Connection c, Instant due, StoreChange change) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NOTIFY)) {
            ps.setString(1, payload(due, change));
            ps.execute();
        }
    }

    /** {@link #announce(Connection, Instant, StoreChange)} in {@code h}'s transaction. */
    public void announce(Handle h, Instant due, StoreChange change) {
        h.createQuery("SELECT 1 FROM (" + NOTIFY + ") AS n").bind(0, payload(due, change)).mapTo(Integer.class).one();
    }

    private boolean isOwn(String payload) {
        return payload.startsWith(token) && (payload.length() == token.length() || payload.charAt(token.length()) == ' ');
    }

    /** Runs {@link #NOTIFY} for a job due at {@code due} on {@code c}, in its transaction. */
    public void announce(Connection c, Instant due) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NOTIFY)) {
            ps.setString(1, payload(due));
            ps.execute();
        }
    }

    /** Runs {@link #NOTIFY} for a job due at {@code due} in {@code h}'s transaction. */
    public void announce(Handle h, Instant due) {
        h.createQuery("SELECT 1 FROM (" + NOTIFY + ") AS n").bind(0, payload(due)).mapTo(Integer.class).one();
    }

    private final List<Consumer<Instant>> wakes = new CopyOnWriteArrayList<>();
    private final List<Consumer<StoreChange>> changes = new CopyOnWriteArrayList<>();
    /** The one listening connection's thread while anyone subscribes, else null; guarded by {@code this}. */
    private Listener listener;

    /**
     * Starts listening; {@code wake} is called once per job announcement of another store, with when its job is due,
     * and with null after each (re)connection. One connection serves this and {@link #listenChanges}.
     */
    public AutoCloseable listen(Consumer<Instant> wake) {
        return subscribe(wakes, Objects.requireNonNull(wake, "wake"));
    }

    /**
     * Starts listening for other stores' changes: {@code change} is called once per lead or message change another
     * store announced, from the listening thread, on the same connection as {@link #listen}.
     */
    public AutoCloseable listenChanges(Consumer<StoreChange> change) {
        return subscribe(changes, Objects.requireNonNull(change, "change"));
    }

    private synchronized <T> AutoCloseable subscribe(List<T> list, T subscriber) {
        list.add(subscriber);
        if (listener == null) {
            listener = new Listener();
            listener.thread.start();
        }
        return () -> unsubscribe(list, subscriber);
    }

    private void unsubscribe(List<?> list, Object subscriber) {
        Listener stopping = null;
        synchronized (this) {
            if (list.remove(subscriber) && wakes.isEmpty() && changes.isEmpty() && listener != null) {
                stopping = listener;
                listener = null;
            }
        }
        if (stopping != null) {
            stopping.close();
        }
    }

    private void heard(String payload) {
        if (announcesJob(payload)) {
            Instant due = due(payload);
            wakes.forEach(w -> w.accept(due));
        }
        StoreChange change = change(payload);
        if (change != null) {
            for (Consumer<StoreChange> c : changes) {
                c.accept(change);
            }
        }
    }

    private final class Listener implements AutoCloseable, Runnable {
        private final Thread thread;
        private volatile boolean closed;

        Listener() {
            this.thread = new Thread(this, "frontdesk-listen");
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            long backoff = FIRST_BACKOFF_MILLIS;
            boolean lost = false;
            while (!closed) {
                try (Connection c = source.getConnection()) {
                    listenOn(c);
                    backoff = FIRST_BACKOFF_MILLIS;
                    if (lost) {
                        log.info("Reply job announcements: listening again");
                    }
                    wakes.forEach(w -> w.accept(null)); // for announcements missed while not listening
                    waitForNotifications(c);
                } catch (SQLException | RuntimeException e) {
                    if (closed) {
                        break;
                    }
                    lost = true;
                    log.warn("Reply job announcements: the listening connection failed ({}{}); workers poll until it is back,"
                            + " trying again in {} ms", e.getClass().getSimpleName(),
                            e instanceof SQLException s && s.getSQLState() != null ? ", SQL state " + s.getSQLState() : "", backoff);
                    pause(backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1));
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        }

        private void listenOn(Connection c) throws SQLException {
            c.setAutoCommit(true); // notifications arrive only outside a transaction
            String channel;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + CHANNEL)) {
                rs.next();
                channel = rs.getString(1);
            }
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN \"" + channel + "\""); // lower-case letters, digits and '_' only
            }
        }

        private void waitForNotifications(Connection c) throws SQLException {
            PGConnection pg = c.unwrap(PGConnection.class);
            long checked = System.nanoTime();
            while (!closed) {
                PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        String payload = n.getParameter();
                        if (payload != null && !isOwn(payload)) {
                            heard(payload);
                        }
                    }
                }
                if (System.nanoTime() - checked > CHECK_EVERY_NANOS) {
                    if (!c.isValid(5)) {
                        throw new SQLException("the listening connection is no longer valid", "08006");
                    }
                    checked = System.nanoTime();
                }
            }
        }

        private void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                closed = true;
            }
        }

        /** Stops listening and closes the connection; returns within about a second. */
        @Override
        public void close() {
            closed = true;
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
