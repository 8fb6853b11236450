package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.internal.Rows.LEAD_COLUMNS;
import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.EventOutbox;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.MediaItem;
import dev.frontdesk.sms.MissedCallResult;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.OutboxEvent;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.StoreUnavailableException;
import dev.frontdesk.sms.UsageLedger;
import dev.frontdesk.sms.jdbc.internal.Jdbc;
import dev.frontdesk.sms.jdbc.internal.JdbcEventOutbox;
import dev.frontdesk.sms.jdbc.internal.JdbcLeadStore;
import dev.frontdesk.sms.jdbc.internal.JdbcMessageStore;
import dev.frontdesk.sms.jdbc.internal.JdbcReplyQueue;
import dev.frontdesk.sms.jdbc.internal.JdbcUsageLedger;
import dev.frontdesk.sms.jdbc.internal.JdbiDataSource;
import dev.frontdesk.sms.jdbc.internal.PgJobAnnouncements;
import dev.frontdesk.sms.jdbc.internal.Rows;
import dev.frontdesk.sms.jdbc.internal.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link LeadRepository} and its parts (leads, messages, usage and the durable {@link ReplyQueue}) on a
 * relational database (H2 2.x or PostgreSQL 15+) through Jdbi 3, and plain JDBC for the webhook's transaction.
 *
 * <p>Create it with {@link #create(DataSource)} or {@link #builder(DataSource)}; by default the schema is
 * brought up to date with Flyway at build time (migrations in {@value #MIGRATIONS_LOCATION}, history in
 * table {@value #SCHEMA_HISTORY_TABLE}, apart from the host's). A host that runs Flyway for its own tables
 * runs it first and builds the store afterwards; or it applies that location with a Flyway of its own on
 * table {@value #SCHEMA_HISTORY_TABLE} and builds with {@code migrate(false)}.
 *
 * <p>Thread-safe, and correct when several processes share one database: every change is one
 * transaction; unique keys make a repeated MessageSid, a first message from a new number and a reply to
 * the same job each end in one row; reply jobs are claimed with leases (on PostgreSQL with
 * {@code FOR UPDATE SKIP LOCKED}). Every method throws {@link StoreUnavailableException} when the database cannot be reached,
 * and has changed nothing then. Holds no connection between calls; closing the pool is the host's job.
 */
public final class JdbcLeadRepository implements LeadRepository {

    /**
     * Where the versioned migrations live on the classpath, in Flyway's notation: in the store's own package, outside
     * {@code classpath:db/migration} (Flyway's and Spring Boot's default location, scanned with its subfolders), so a
     * host's Flyway never picks the store's scripts up and versions of the host and of the store never collide.
     */
    public static final String MIGRATIONS_LOCATION = "classpath:dev/frontdesk/sms/jdbc/migration";
    /** The history table the store's own Flyway run uses, apart from any history table of the host. */
    public static final String SCHEMA_HISTORY_TABLE = "frontdesk_schema_history";

    private final Tx tx;
    private final LeadStore leads;
    private final MessageStore messages;
    private final UsageLedger usage;
    private final JdbcReplyQueue queue;
    private final JdbcEventOutbox events;

    private JdbcLeadRepository(Jdbi jdbi, DataSource listenDataSource) {
        this.tx = new Tx(jdbi);
        this.events = new JdbcEventOutbox(tx);
        this.leads = new JdbcLeadStore(tx, events);
        this.messages = new JdbcMessageStore(tx, events);
        this.usage = new JdbcUsageLedger(tx);
        this.queue = new JdbcReplyQueue(tx, listenDataSource == null ? null : new PgJobAnnouncements(listenDataSource), events);
    }

    /** A store on {@code dataSource}, with the schema migrated now. */
    public static JdbcLeadRepository create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /** A builder over an existing {@link Jdbi}; its configuration (plugins, mappers) is not changed. */
    public static Builder builder(Jdbi jdbi) {
        return new Builder(null, Objects.requireNonNull(jdbi, "jdbi"));
    }

    /**
     * Applies the store's migrations to {@code dataSource} with Flyway (history table
     * {@value #SCHEMA_HISTORY_TABLE}); does nothing when the schema is current. A schema that already
     * holds the host's own tables is fine: the store's history starts from an empty baseline.
     *
     * @throws StoreUnavailableException if the database cannot be reached
     * @throws IllegalStateException     if a migration fails (the message says which and why)
     */
    public static void migrate(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try {
            Flyway.configure(JdbcLeadRepository.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(MIGRATIONS_LOCATION)
                    .table(SCHEMA_HISTORY_TABLE)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            if (Tx.isUnavailable(e)) {
                throw new StoreUnavailableException("The database cannot be reached to migrate the frontdesk schema.", e);
            }
            throw new IllegalStateException("Migrating the frontdesk schema failed: " + e.getMessage(), e);
        }
    }

    /** Configures a {@link JdbcLeadRepository}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private final DataSource dataSource;
        private final Jdbi jdbi;
        private boolean migrate = true;
        private DataSource listenDataSource;

        private Builder(DataSource dataSource, Jdbi jdbi) {
            this.dataSource = dataSource;
            this.jdbi = jdbi;
        }

        /** Whether {@link #build()} applies the migrations first (default true). */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * PostgreSQL: plain connections (not a pool; e.g. a {@code PGSimpleDataSource}) to the same database and
         * schema, of which the store holds one while workers run, to {@code LISTEN} for reply jobs: a job
         * enqueued or given back by another process then wakes a worker here at once, and idle workers look
         * for work only every 15 s (instead of every second) as a safety net. The store then announces its own
         * jobs with {@code NOTIFY} in the transaction that writes them. A lost connection is opened again with
         * backoff. Without it (the default), workers find other processes' jobs by polling every second.
         */
        public Builder listenDataSource(DataSource listenDataSource) {
            this.listenDataSource = Objects.requireNonNull(listenDataSource, "listenDataSource");
            return this;
        }

        /**
         * Builds the store, migrating first unless turned off.
         *
         * @throws StoreUnavailableException if migrating and the database cannot be reached
         */
        public JdbcLeadRepository build() {
            Jdbi j = jdbi != null ? jdbi : Jdbi.create(dataSource);
            if (migrate) {
                JdbcLeadRepository.migrate(dataSource != null ? dataSource : new JdbiDataSource(j));
            }
            return new JdbcLeadRepository(j, listenDataSource);
        }
    }

    // ------------------------------------------------------------------------------- inbound texts

    @Override
    public InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now, Duration replyDelay) {
        Objects.requireNonNull(sms, "sms");
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(replyDelay, "replyDelay");
        Instant replyAt = Rows.stored(now.plus(replyDelay));
        if (tx.dialect() == Tx.Dialect.POSTGRES && sms.media().isEmpty()) {
            PgJobAnnouncements announce = queue.announcements();
            boolean withEvent = events.enabled();
            InboundResult done = tx.singleStatementJdbc((h, c) -> returningCustomerInOneStatement(c, sms, keyword, now, replyAt, announce,
                    withEvent));
            if (done != null) {
                return done;
            }
        }
        // Every webhook runs this, so it is plain JDBC in as few statements as the checks allow: three for a
        // returning customer (lead update returning the row, message, job), five for a new number. No SELECT
        // ... FOR UPDATE: H2 parses such a query anew every time (it never caches it), so the UPDATE locks.
        return tx.writeJdbc((h, c) -> {
            Instant stored = Rows.stored(now);
            // Locks the lead until commit, so concurrent keywords from the same number apply one after the
            // other; changes nothing for a MessageSid already stored (a repeated delivery).
            Lead lead = null;
            int updated;
            // The changed row comes back as "generated keys" (RETURNING on PostgreSQL), so no SELECT follows.
            try (PreparedStatement ps = c.prepareStatement(INBOUND_LEAD_UPDATE, LEAD_COLUMN_NAMES)) {
                bindLeadUpdate(ps, sms, keyword, stored);
                updated = ps.executeUpdate();
                if (updated == 1) {
                    try (ResultSet rs = ps.getGeneratedKeys()) {
                        lead = rs.next() ? Rows.lead(rs) : null;
                    }
                }
            }
            if (updated == 1 && lead == null) {
                // a driver that does not hand back the updated row
                lead = JdbcLeadStore.leadByPhone(h, sms.from(), sms.channel()).orElseThrow();
            }
            if (updated == 0) {
                // A repeated MessageSid, or a number never seen before.
                if (messageIdBySid(c, sms.messageSid()) != null) {
                    Message m = JdbcMessageStore.messageBySid(h, sms.messageSid()).orElseThrow();
                    return new InboundResult(JdbcLeadStore.lead(h, m.leadId()).orElseThrow(), m, true, null);
                }
                // A concurrent first text from the same number (or a concurrent delivery of the same MessageSid)
                // fails on its unique key here or below; Tx re-runs the whole transaction, which then finds the
                // winner's row.
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
                ps.executeUpdate();
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
                PgJobAnnouncements announce = queue.announcements();
                if (announce != null) {
                    announce.announce(c, replyAt); // delivered on commit
                }
            }
            Message m = new Message(messageId, lead.id(), sms.messageSid(), Direction.INBOUND, sms.fromAddress(), sms.to(),
                    sms.body(), MessageStatus.RECEIVED, null, sms.numSegments(), urls, null, null, stored);
            return new InboundResult(lead, m, false, jobId);
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
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Lead lead = Rows.lead(rs);
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
    /** Parameters: the time, STOP?, START?, the channel, the number, the MessageSid; as {@link Keyword#optOutAfter}. */
    private static final String INBOUND_LEAD_UPDATE = "UPDATE leads SET sms_enabled = TRUE, last_sms_at = ?,"
            + " last_message_direction = 'inbound',"
            + " sms_opt_out = CASE WHEN ? THEN TRUE WHEN ? THEN FALSE ELSE sms_opt_out END"
            + " WHERE channel = ? AND phone_number = ? AND NOT EXISTS (SELECT 1 FROM messages WHERE twilio_sid = ?)";
    private static final String INBOUND_MESSAGE = "INSERT INTO messages (lead_id, twilio_sid, direction, from_number,"
            + " to_number, body, status, num_segments, created_at) VALUES (?, ?, 'inbound', ?, ?, ?, 'received', ?, ?)";
    private static final String INBOUND_MEDIA =
            "INSERT INTO message_media (message_id, position, url, content_type) VALUES (?, ?, ?, ?)";
    private static final String INBOUND_JOB = "INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts, run_at,"
            + " created_at, updated_at) VALUES (?, ?, FALSE, 0, ?, ?, ?)";

    /** {@link #INBOUND_LEAD_UPDATE}, {@link #INBOUND_MESSAGE} and {@link #INBOUND_JOB} as one PostgreSQL statement. */
    private static final String PG_INBOUND = "WITH l AS (" + INBOUND_LEAD_UPDATE + " RETURNING " + LEAD_COLUMNS + "),"
            + " m AS (INSERT INTO messages (lead_id, twilio_sid, direction, from_number, to_number, body, status,"
            + " num_segments, created_at) SELECT l.id, ?, 'inbound', ?, ?, ?, 'received', ?, ? FROM l RETURNING id, created_at),"
            + " j AS (INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts, run_at, created_at, updated_at)"
            + " SELECT l.id, m.id, FALSE, 0, ?, m.created_at, m.created_at FROM l, m"
            + " WHERE ? AND NOT l.sms_opt_out RETURNING id)"
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
                sql = sql.substring(0, sql.length() - " FROM l".length()) + ", " + PgJobAnnouncements.NOTIFY_IF_JOB + " AS announced FROM l";
            }
            PG_INBOUND_VARIANTS[v] = sql;
        }
    }

    private static String pgInbound(boolean announced, boolean withEvent) {
        return PG_INBOUND_VARIANTS[(announced ? 1 : 0) | (withEvent ? 2 : 0)];
    }


    /** Binds {@link #INBOUND_LEAD_UPDATE}'s parameters from the first; returns the index of the last one. */
    private static int bindLeadUpdate(PreparedStatement ps, InboundSms sms, Keyword keyword, Instant stored) throws SQLException {
        Jdbc.setInstant(ps, 1, stored);
        ps.setBoolean(2, keyword == Keyword.OPT_OUT);
        ps.setBoolean(3, keyword == Keyword.OPT_IN);
        ps.setString(4, sms.channel().wireName());
        ps.setString(5, sms.from().value());
        ps.setString(6, sms.messageSid());
        return 6;
    }

    private static Long messageIdBySid(Connection c, String sid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM messages WHERE twilio_sid = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    // ---------------------------------------------------------------------------------- missed calls

    @Override
    public MissedCallResult recordMissedCall(PhoneNumber caller, String callSid, Instant now) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(callSid, "callSid");
        Objects.requireNonNull(now, "now");
        Instant stored = Rows.stored(now);
        PgJobAnnouncements announce = queue.announcements();
        // A concurrent first call from the number, or the same CallSid at once, fails on leads_channel_phone_number_uq
        // or reply_jobs_call_sid_uq; Tx re-runs the whole transaction, which then finds the winner's rows.
        return tx.write(h -> {
            Lead lead = JdbcLeadStore.leadByPhone(h, caller, Channel.SMS)
                    .orElseGet(() -> JdbcLeadStore.insertLead(h, caller, Lead.SOURCE_CALL, stored));
            boolean known = h.createQuery("SELECT COUNT(*) FROM reply_jobs WHERE call_sid = :sid")
                    .bind("sid", callSid).mapTo(Long.class).one() > 0;
            if (known) {
                return new MissedCallResult(lead, null, true);
            }
            if (lead.smsOptOut()) {
                return new MissedCallResult(lead, null, false);
            }
            long jobId = h.createUpdate("INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts, run_at, created_at,"
                            + " updated_at, kind, call_sid) VALUES (:lead, NULL, FALSE, 0, :at, :at, :at, :kind, :sid)")
                    .bind("lead", lead.id()).bind("at", ts(stored)).bind("kind", ReplyJob.Kind.MISSED_CALL.wireName())
                    .bind("sid", callSid).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            if (announce != null) {
                announce.announce(h, stored); // delivered on commit: due at once
            }
            return new MissedCallResult(lead, jobId, false);
        });
    }

    // ---------------------------------------------------------------------------- non-phone senders

    @Override
    public boolean recordOtherSender(OtherSenderMessage m, Instant now) {
        Objects.requireNonNull(m, "message");
        Objects.requireNonNull(now, "now");
        // Two deliveries at once: the second fails on other_sender_messages_twilio_sid_uq, is retried, and finds the first.
        return tx.write(h -> {
            boolean known = h.createQuery("SELECT COUNT(*) FROM other_sender_messages WHERE twilio_sid = :sid")
                    .bind("sid", m.twilioSid()).mapTo(Long.class).one() > 0;
            if (known) {
                return false;
            }
            OtherSender s = m.sender();
            h.createUpdate("INSERT INTO other_sender_messages (twilio_sid, sender, sender_kind, channel, phone_number, to_number,"
                            + " body, num_media, lead_id, created_at) VALUES (:sid, :sender, :kind, :channel, :phone, :to, :body,"
                            + " :media, :lead, :at)")
                    .bind("sid", m.twilioSid()).bind("sender", s.address()).bind("kind", s.kind().wireName())
                    .bind("channel", s.channel()).bind("phone", s.phoneNumber() == null ? null : s.phoneNumber().value())
                    .bind("to", m.to()).bind("body", m.body()).bind("media", m.numMedia()).bind("lead", m.leadId())
                    .bind("at", ts(Rows.stored(now))).execute();
            return true;
        });
    }

    // ------------------------------------------------------------------------------------------ other

    @Override
    public void checkAvailable() {
        tx.read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    }

    @Override
    public LeadStore leads() {
        return leads;
    }

    @Override
    public MessageStore messages() {
        return messages;
    }

    @Override
    public UsageLedger usage() {
        return usage;
    }

    @Override
    public ReplyQueue replyQueue() {
        return queue;
    }

    @Override
    public EventOutbox events() {
        return events;
    }
}
