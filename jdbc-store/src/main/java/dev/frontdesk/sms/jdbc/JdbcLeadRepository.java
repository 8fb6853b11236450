package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.internal.Rows.LEAD_COLUMNS;
import static dev.frontdesk.sms.jdbc.internal.Rows.MESSAGE_COLUMNS;
import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.AiCall;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.DuplicateTwilioSidException;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadNotFoundException;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.MediaItem;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.Qualification;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.StatusResult;
import dev.frontdesk.sms.StatusUpdate;
import dev.frontdesk.sms.StoreUnavailableException;
import dev.frontdesk.sms.UsageCounts;
import dev.frontdesk.sms.jdbc.internal.Jdbc;
import dev.frontdesk.sms.jdbc.internal.JdbcReplyQueue;
import dev.frontdesk.sms.jdbc.internal.JdbiDataSource;
import dev.frontdesk.sms.jdbc.internal.Rows;
import dev.frontdesk.sms.jdbc.internal.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link LeadRepository} and its durable {@link ReplyQueue} on a relational database (H2 2.x or
 * PostgreSQL 15+) through Jdbi 3, and plain JDBC for the webhook's transaction.
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
    private final JdbcReplyQueue queue;

    private JdbcLeadRepository(Jdbi jdbi) {
        this.tx = new Tx(jdbi);
        this.queue = new JdbcReplyQueue(tx);
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
         * Builds the store, migrating first unless turned off.
         *
         * @throws StoreUnavailableException if migrating and the database cannot be reached
         */
        public JdbcLeadRepository build() {
            Jdbi j = jdbi != null ? jdbi : Jdbi.create(dataSource);
            if (migrate) {
                JdbcLeadRepository.migrate(dataSource != null ? dataSource : new JdbiDataSource(j));
            }
            return new JdbcLeadRepository(j);
        }
    }

    // ------------------------------------------------------------------------------------------ leads

    @Override
    public InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now) {
        Objects.requireNonNull(sms, "sms");
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(now, "now");
        if (tx.dialect() == Tx.Dialect.POSTGRES && sms.media().isEmpty()) {
            InboundResult done = tx.singleStatementJdbc((h, c) -> returningCustomerInOneStatement(c, sms, keyword, now));
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
                lead = leadByPhone(h, sms.from()).orElseThrow();
            }
            if (updated == 0) {
                // A repeated MessageSid, or a number never seen before.
                if (messageIdBySid(c, sms.messageSid()) != null) {
                    Message m = messageBySid(h, sms.messageSid()).orElseThrow();
                    return new InboundResult(lead(h, m.leadId()).orElseThrow(), m, true, null);
                }
                // A concurrent first text from the same number (or a concurrent delivery of the same MessageSid)
                // fails on its unique key here or below; Tx re-runs the whole transaction, which then finds the
                // winner's row.
                boolean optedOut = keyword.optOutAfter(false);
                try (PreparedStatement ps = c.prepareStatement(INBOUND_NEW_LEAD, ID)) {
                    ps.setString(1, sms.from().value());
                    ps.setString(2, Lead.SOURCE_SMS);
                    Jdbc.setInstant(ps, 3, stored);
                    Jdbc.setInstant(ps, 4, stored);
                    ps.setBoolean(5, optedOut);
                    ps.executeUpdate();
                    lead = new Lead(Jdbc.generatedId(ps), sms.from(), null, Lead.SOURCE_SMS, true, optedOut, stored, stored);
                }
            }
            boolean optOut = lead.smsOptOut();
            long messageId;
            try (PreparedStatement ps = c.prepareStatement(INBOUND_MESSAGE, ID)) {
                ps.setLong(1, lead.id());
                ps.setString(2, sms.messageSid());
                ps.setString(3, sms.from().value());
                ps.setString(4, sms.to());
                ps.setString(5, sms.body());
                Jdbc.setNullableInt(ps, 6, sms.numSegments());
                Jdbc.setInstant(ps, 7, stored);
                ps.executeUpdate();
                messageId = Jdbc.generatedId(ps);
            }
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
                    Jdbc.setInstant(ps, 3, stored);
                    Jdbc.setInstant(ps, 4, stored);
                    Jdbc.setInstant(ps, 5, stored);
                    ps.executeUpdate();
                    jobId = Jdbc.generatedId(ps);
                }
            }
            Message m = new Message(messageId, lead.id(), sms.messageSid(), Direction.INBOUND, sms.from().value(), sms.to(),
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
    private static InboundResult returningCustomerInOneStatement(Connection c, InboundSms sms, Keyword keyword, Instant now)
            throws SQLException {
        if (!c.getAutoCommit()) {
            return null; // a host's pool that hands out connections inside a transaction: take the general path
        }
        Instant stored = Rows.stored(now);
        try (PreparedStatement ps = c.prepareStatement(PG_INBOUND)) {
            int i = bindLeadUpdate(ps, sms, keyword, stored);
            ps.setString(++i, sms.messageSid());
            ps.setString(++i, sms.from().value());
            ps.setString(++i, sms.to());
            ps.setString(++i, sms.body());
            Jdbc.setNullableInt(ps, ++i, sms.numSegments());
            Jdbc.setInstant(ps, ++i, stored);
            ps.setBoolean(++i, keyword == Keyword.NONE); // Keyword.wantsAiReply, with the opt-out as updated
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Lead lead = Rows.lead(rs);
                long messageId = rs.getLong("message_id");
                Long jobId = Jdbc.nullableLong(rs, "job_id");
                Message m = new Message(messageId, lead.id(), sms.messageSid(), Direction.INBOUND, sms.from().value(), sms.to(),
                        sms.body(), MessageStatus.RECEIVED, null, sms.numSegments(), List.of(), null, null, stored);
                return new InboundResult(lead, m, false, jobId);
            }
        }
    }

    private static final String[] ID = {"id"};
    private static final String[] LEAD_COLUMN_NAMES = LEAD_COLUMNS.split(",\\s*");
    private static final String INBOUND_NEW_LEAD = "INSERT INTO leads (phone_number, source, created_at, sms_enabled,"
            + " last_sms_at, sms_opt_out) VALUES (?, ?, ?, TRUE, ?, ?)";
    /** Parameters: the time, STOP?, START?, the number, the MessageSid; as {@link Keyword#optOutAfter}. */
    private static final String INBOUND_LEAD_UPDATE = "UPDATE leads SET sms_enabled = TRUE, last_sms_at = ?,"
            + " sms_opt_out = CASE WHEN ? THEN TRUE WHEN ? THEN FALSE ELSE sms_opt_out END"
            + " WHERE phone_number = ? AND NOT EXISTS (SELECT 1 FROM messages WHERE twilio_sid = ?)";
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
            + " SELECT l.id, m.id, FALSE, 0, m.created_at, m.created_at, m.created_at FROM l, m"
            + " WHERE ? AND NOT l.sms_opt_out RETURNING id)"
            + " SELECT l.*, (SELECT id FROM m) AS message_id, (SELECT id FROM j) AS job_id FROM l";

    /** Binds {@link #INBOUND_LEAD_UPDATE}'s parameters from the first; returns the index of the last one. */
    private static int bindLeadUpdate(PreparedStatement ps, InboundSms sms, Keyword keyword, Instant stored) throws SQLException {
        Jdbc.setInstant(ps, 1, stored);
        ps.setBoolean(2, keyword == Keyword.OPT_OUT);
        ps.setBoolean(3, keyword == Keyword.OPT_IN);
        ps.setString(4, sms.from().value());
        ps.setString(5, sms.messageSid());
        return 5;
    }

    private static Long messageIdBySid(Connection c, String sid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM messages WHERE twilio_sid = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    @Override
    public Lead findOrCreateLead(PhoneNumber phone, String source, Instant now) {
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(now, "now");
        return tx.write(h -> leadByPhone(h, phone).orElseGet(() -> insertLead(h, phone, source, now)));
    }

    /**
     * Inserts a new lead. A concurrent first insert of the same number fails on
     * {@code leads_phone_number_uq}; {@link Tx} re-runs the transaction, which then finds that lead.
     */
    private static Lead insertLead(Handle h, PhoneNumber phone, String source, Instant now) {
        long id = h.createUpdate("INSERT INTO leads (phone_number, source, created_at, sms_enabled, sms_opt_out)"
                        + " VALUES (:phone, :source, :now, FALSE, FALSE)")
                .bind("phone", phone.value()).bind("source", source).bind("now", ts(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Lead(id, phone, null, source, false, false, null, Rows.stored(now));
    }

    @Override
    public Optional<Lead> findLead(long leadId) {
        return tx.read(h -> lead(h, leadId));
    }

    @Override
    public Optional<Lead> findLeadByPhone(PhoneNumber phone) {
        Objects.requireNonNull(phone, "phone");
        return tx.read(h -> leadByPhone(h, phone));
    }

    private static Optional<Lead> leadByPhone(Handle h, PhoneNumber phone) {
        return h.createQuery("SELECT " + LEAD_COLUMNS + " FROM leads WHERE phone_number = :phone")
                .bind("phone", phone.value()).map((rs, ctx) -> Rows.lead(rs)).findOne();
    }

    @Override
    public List<Lead> listLeads(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return tx.read(h -> h.createQuery("SELECT " + LEAD_COLUMNS + " FROM leads"
                        + " ORDER BY COALESCE(last_sms_at, created_at) DESC, id DESC FETCH FIRST :limit ROWS ONLY")
                .bind("limit", limit).map((rs, ctx) -> Rows.lead(rs)).list());
    }

    @Override
    public Lead setOptOut(long leadId, boolean optedOut, Instant now) {
        return tx.write(h -> {
            int n = h.createUpdate("UPDATE leads SET sms_opt_out = :o WHERE id = :id").bind("o", optedOut).bind("id", leadId)
                    .execute();
            if (n == 0) {
                throw new LeadNotFoundException("No lead has id " + leadId + ".");
            }
            return lead(h, leadId).orElseThrow();
        });
    }

    @Override
    public Lead setAi(long leadId, boolean enabled, Instant pausedUntil) {
        return tx.write(h -> {
            int n = h.createUpdate("UPDATE leads SET ai_enabled = :e, ai_paused_until = :u WHERE id = :id")
                    .bind("e", enabled).bind("u", ts(enabled ? null : pausedUntil)).bind("id", leadId).execute();
            if (n == 0) {
                throw new LeadNotFoundException("No lead has id " + leadId + ".");
            }
            return lead(h, leadId).orElseThrow();
        });
    }

    @Override
    public Lead pauseAiUntil(long leadId, Instant until) {
        Objects.requireNonNull(until, "until");
        return tx.write(h -> {
            Lead l = lockLead(h, leadId);
            if (!l.aiEnabled() && (l.aiPausedUntil() == null || !l.aiPausedUntil().isBefore(Rows.stored(until)))) {
                return l;
            }
            h.createUpdate("UPDATE leads SET ai_enabled = FALSE, ai_paused_until = :u WHERE id = :id")
                    .bind("u", ts(until)).bind("id", leadId).execute();
            return lead(h, leadId).orElseThrow();
        });
    }

    @Override
    public Lead updateQualification(long leadId, Map<Qualification.Field, String> values, boolean byStaff) {
        Objects.requireNonNull(values, "values");
        return tx.write(h -> {
            Qualification q = lockLead(h, leadId).qualification().merge(values, byStaff);
            h.createUpdate("UPDATE leads SET qualification_name = :n, qualification_service = :s,"
                            + " qualification_address = :a, qualification_urgency = :u, qualification_preferred_time = :p,"
                            + " qualification_staff_fields = :f WHERE id = :id")
                    .bind("n", q.name()).bind("s", q.service()).bind("a", q.address()).bind("u", q.urgency())
                    .bind("p", q.preferredTime()).bind("f", q.staffEditedWire()).bind("id", leadId).execute();
            return lead(h, leadId).orElseThrow();
        });
    }

    @Override
    public Lead markAfterHoursNotice(long leadId, Instant at) {
        return tx.write(h -> {
            int n = h.createUpdate("UPDATE leads SET after_hours_notice_at = :at WHERE id = :id")
                    .bind("at", ts(at)).bind("id", leadId).execute();
            if (n == 0) {
                throw new LeadNotFoundException("No lead has id " + leadId + ".");
            }
            return lead(h, leadId).orElseThrow();
        });
    }

    @Override
    public void recordAiCall(AiCall call) {
        Objects.requireNonNull(call, "call");
        tx.write(h -> h.createUpdate("INSERT INTO ai_calls (lead_id, reply_job_id, model, outcome, prompt_tokens,"
                        + " completion_tokens, latency_ms, created_at) VALUES (:lead, :job, :model, :outcome, :pt, :ct, :ms, :at)")
                .bind("lead", call.leadId()).bind("job", call.replyJobId()).bind("model", call.model())
                .bind("outcome", call.outcome()).bind("pt", call.promptTokens()).bind("ct", call.completionTokens())
                .bind("ms", call.latencyMillis()).bind("at", ts(call.createdAt())).execute());
    }

    @Override
    public UsageCounts usage(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return tx.read(h -> {
            long[] counts = new long[7];
            h.createQuery("SELECT direction, COUNT(*) AS n, SUM(COALESCE(num_segments, 1)) AS seg FROM messages"
                            + " WHERE created_at >= :from AND created_at < :to AND (direction = 'inbound' OR twilio_sid IS NOT NULL)"
                            + " GROUP BY direction")
                    .bind("from", ts(from)).bind("to", ts(to))
                    .map((rs, ctx) -> {
                        int i = "inbound".equals(rs.getString("direction")) ? 0 : 1;
                        counts[i] = rs.getLong("n");
                        counts[i + 2] = rs.getLong("seg");
                        return i;
                    }).list();
            h.createQuery("SELECT COUNT(*) AS n, COALESCE(SUM(prompt_tokens), 0) AS pt, COALESCE(SUM(completion_tokens), 0) AS ct"
                            + " FROM ai_calls WHERE created_at >= :from AND created_at < :to")
                    .bind("from", ts(from)).bind("to", ts(to))
                    .map((rs, ctx) -> {
                        counts[4] = rs.getLong("n");
                        counts[5] = rs.getLong("pt");
                        counts[6] = rs.getLong("ct");
                        return 0;
                    }).list();
            return new UsageCounts(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6]);
        });
    }

    private static Lead lockLead(Handle h, long leadId) {
        return h.createQuery("SELECT " + LEAD_COLUMNS + " FROM leads WHERE id = :id FOR UPDATE")
                .bind("id", leadId).map((rs, ctx) -> Rows.lead(rs)).findOne()
                .orElseThrow(() -> new LeadNotFoundException("No lead has id " + leadId + "."));
    }

    private static Optional<Lead> lead(Handle h, long leadId) {
        return h.createQuery("SELECT " + LEAD_COLUMNS + " FROM leads WHERE id = :id")
                .bind("id", leadId).map((rs, ctx) -> Rows.lead(rs)).findOne();
    }

    // --------------------------------------------------------------------------------------- messages

    @Override
    public Message recordOutbound(NewOutboundMessage n) {
        Objects.requireNonNull(n, "message");
        return tx.write(h -> {
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
            h.createUpdate("UPDATE leads SET last_sms_at = :at WHERE id = :id")
                    .bind("at", ts(n.createdAt())).bind("id", n.leadId()).execute();
            // Two workers recording a reply to the same job at once: the second fails on
            // messages_reply_job_uq and its re-run returns the first one's message above.
            long id = insertMessage(h, n.leadId(), null, Direction.OUTBOUND, n.from(), n.to(), n.body(), n.status(),
                    n.errorCode(), n.numSegments(), n.replyJobId(), n.createdAt());
            return new Message(id, n.leadId(), null, Direction.OUTBOUND, n.from(), n.to(), n.body(), n.status(),
                    n.errorCode(), n.numSegments(), List.of(), null, null, Rows.stored(n.createdAt()));
        });
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

    private static Optional<Message> replyForJob(Handle h, long replyJobId) {
        return one(h, h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE reply_job_id = :job")
                .bind("job", replyJobId).map((rs, ctx) -> Rows.message(rs)).findOne());
    }

    @Override
    public Message markSent(long messageId, SendResult result, Instant sentAt) {
        Objects.requireNonNull(result, "result");
        return tx.write(h -> {
            Message m = lockMessage(h, messageId);
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
            return new Message(m.id(), m.leadId(), result.sid(), m.direction(), from, m.to(), m.body(), result.status(),
                    m.errorCode(), segments, m.media(), Rows.stored(sentAt), m.deliveredAt(), m.createdAt());
        });
    }

    @Override
    public Message markFailed(long messageId, MessageStatus status, String errorCode) {
        Objects.requireNonNull(status, "status");
        return tx.write(h -> {
            Message m = lockMessage(h, messageId);
            h.createUpdate("UPDATE messages SET status = :status, error_code = :err WHERE id = :id")
                    .bind("status", Rows.wire(status)).bind("err", errorCode).bind("id", messageId).execute();
            return new Message(m.id(), m.leadId(), m.twilioSid(), m.direction(), m.from(), m.to(), m.body(), status,
                    errorCode, m.numSegments(), m.media(), m.sentAt(), m.deliveredAt(), m.createdAt());
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
            return new StatusResult(Optional.of(new Message(m.id(), m.leadId(), m.twilioSid(), m.direction(), m.from(),
                    m.to(), m.body(), update.status(), errorCode, m.numSegments(), m.media(), m.sentAt(), deliveredAt,
                    m.createdAt())), true);
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
        return tx.read(h -> {
            List<Message> newestFirst = h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE lead_id = :lead"
                            + " ORDER BY id DESC FETCH FIRST :limit ROWS ONLY")
                    .bind("lead", leadId).bind("limit", limit).map((rs, ctx) -> Rows.message(rs)).list();
            List<Message> oldestFirst = new ArrayList<>(newestFirst);
            Collections.reverse(oldestFirst);
            return List.copyOf(Rows.withMedia(h, oldestFirst));
        });
    }

    private static Optional<Message> message(Handle h, long id) {
        return one(h, h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> Rows.message(rs)).findOne());
    }

    private static Optional<Message> messageBySid(Handle h, String sid) {
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

    // ------------------------------------------------------------------------------------- abuse caps

    @Override
    public boolean recordAutoReply(long replyJobId, long leadId, boolean aiCall, Instant at) {
        Objects.requireNonNull(at, "at");
        // Two instances noting the same job at once: the second fails on auto_replies_reply_job_uq, and its
        // re-run finds the first one's note here.
        return tx.write(h -> {
            if (autoReplyAiCall(h, replyJobId).isPresent()) {
                return false;
            }
            h.createUpdate("INSERT INTO auto_replies (reply_job_id, lead_id, ai_call, created_at) VALUES (:job, :lead, :ai, :at)")
                    .bind("job", replyJobId).bind("lead", leadId).bind("ai", aiCall).bind("at", ts(at)).execute();
            return true;
        });
    }

    @Override
    public Optional<Boolean> autoReplyAiCall(long replyJobId) {
        return tx.read(h -> autoReplyAiCall(h, replyJobId));
    }

    private static Optional<Boolean> autoReplyAiCall(Handle h, long replyJobId) {
        return h.createQuery("SELECT ai_call FROM auto_replies WHERE reply_job_id = :job")
                .bind("job", replyJobId).mapTo(Boolean.class).findOne();
    }

    @Override
    public long countAutoReplies(Long leadId, boolean aiCallsOnly, Instant since) {
        Objects.requireNonNull(since, "since");
        String sql = "SELECT COUNT(*) FROM auto_replies WHERE created_at >= :since"
                + (leadId != null ? " AND lead_id = :lead" : "")
                + (aiCallsOnly ? " AND ai_call = TRUE" : "");
        return tx.read(h -> {
            var q = h.createQuery(sql).bind("since", ts(since));
            if (leadId != null) {
                q.bind("lead", leadId.longValue());
            }
            return q.mapTo(Long.class).one();
        });
    }

    /**
     * The lead's first inbound message after its latest outbound message (by id) and its latest auto-reply note
     * (by time). Both subqueries run once, on the lead's indexes (messages_lead_idx, auto_replies_lead_idx).
     */
    private static final String FIRST_UNANSWERED = "SELECT MIN(m.created_at) AS first_at FROM messages m"
            + " WHERE m.lead_id = :lead AND m.direction = 'inbound'"
            + " AND m.id > COALESCE((SELECT MAX(o.id) FROM messages o WHERE o.lead_id = :lead AND o.direction = 'outbound'), 0)"
            + " AND m.created_at > COALESCE((SELECT MAX(a.created_at) FROM auto_replies a WHERE a.lead_id = :lead), :epoch)";

    @Override
    public Optional<Instant> firstUnansweredAt(long leadId) {
        return tx.read(h -> h.createQuery(FIRST_UNANSWERED)
                .bind("lead", leadId).bind("epoch", ts(Instant.EPOCH))
                .map((rs, ctx) -> Optional.ofNullable(Rows.instant(rs, "first_at"))).one());
    }

    @Override
    public long countStaffMessages(Instant since) {
        Objects.requireNonNull(since, "since");
        return tx.read(h -> h.createQuery("SELECT COUNT(*) FROM messages WHERE created_at >= :since"
                        + " AND direction = 'outbound' AND reply_job_id IS NULL")
                .bind("since", ts(since)).mapTo(Long.class).one());
    }

    // ---------------------------------------------------------------------------- non-phone senders

    private static final String OTHER_SENDER_COLUMNS = "id, twilio_sid, sender, sender_kind, channel, phone_number,"
            + " to_number, body, num_media, lead_id, created_at";

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

    // ------------------------------------------------------------------------------------------ other

    @Override
    public ReplyQueue replyQueue() {
        return queue;
    }

    @Override
    public void checkAvailable() {
        tx.read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    }
}
