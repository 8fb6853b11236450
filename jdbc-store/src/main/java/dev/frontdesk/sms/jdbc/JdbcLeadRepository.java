package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.EventOutbox;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.MissedCallResult;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.OwnerAlerts;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.StoreChange;
import dev.frontdesk.sms.StoreUnavailableException;
import dev.frontdesk.sms.UsageLedger;
import dev.frontdesk.sms.jdbc.internal.ChangeAnnouncements;
import dev.frontdesk.sms.jdbc.internal.JdbcEventOutbox;
import dev.frontdesk.sms.jdbc.internal.JdbcInbound;
import dev.frontdesk.sms.jdbc.internal.JdbcOwnerAlerts;
import dev.frontdesk.sms.jdbc.internal.JdbcLeadStore;
import dev.frontdesk.sms.jdbc.internal.JdbcMessageStore;
import dev.frontdesk.sms.jdbc.internal.JdbcReplyQueue;
import dev.frontdesk.sms.jdbc.internal.JdbcUsageLedger;
import dev.frontdesk.sms.jdbc.internal.JdbiDataSource;
import dev.frontdesk.sms.jdbc.internal.PgJobAnnouncements;
import dev.frontdesk.sms.jdbc.internal.Rows;
import dev.frontdesk.sms.jdbc.internal.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
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
    private final JdbcInbound inbound;
    private final JdbcOwnerAlerts alerts;

    private JdbcLeadRepository(Jdbi jdbi, DataSource dataSource, DataSource listenDataSource) {
        this.tx = new Tx(jdbi, dataSource);
        this.events = new JdbcEventOutbox(tx);
        this.alerts = new JdbcOwnerAlerts(tx);
        this.queue = new JdbcReplyQueue(tx, listenDataSource == null ? null : new PgJobAnnouncements(listenDataSource), events,
                alerts);
        ChangeAnnouncements changes = new ChangeAnnouncements(queue::announcements);
        this.leads = new JdbcLeadStore(tx, events, changes, alerts);
        this.messages = new JdbcMessageStore(tx, events, changes);
        this.usage = new JdbcUsageLedger(tx);
        this.inbound = new JdbcInbound(tx, queue, events);
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
            return new JdbcLeadRepository(j, dataSource, listenDataSource);
        }
    }

    // ------------------------------------------------------------------------------- inbound texts

    @Override
    public InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now, Duration replyDelay) {
        return inbound.record(sms, keyword, now, replyDelay);
    }

    // ---------------------------------------------------------------------------------- missed calls

    @Override
    public MissedCallResult recordMissedCall(PhoneNumber caller, String calledNumber, String callSid, Instant now) {
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
                if (announce != null) {
                    announce.announce(h, StoreChange.lead(lead.id())); // other stores' streams, on commit
                }
                return new MissedCallResult(lead, null, false);
            }
            long jobId = h.createUpdate("INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts, run_at, created_at,"
                            + " updated_at, kind, call_sid, called_number) VALUES (:lead, NULL, FALSE, 0, :at, :at, :at, :kind, :sid,"
                            + " :called)")
                    .bind("lead", lead.id()).bind("at", ts(stored)).bind("kind", ReplyJob.Kind.MISSED_CALL.wireName())
                    .bind("sid", callSid).bind("called", calledNumber).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            if (announce != null) {
                announce.announce(h, stored, StoreChange.lead(lead.id())); // on commit: the job, due at once, and the lead
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

    /**
     * On PostgreSQL with a {@link Builder#listenDataSource listening data source}: other stores' lead and message changes,
     * heard on the same connection as their reply jobs. Empty otherwise.
     */
    @Override
    public Optional<AutoCloseable> onOtherChanges(Consumer<StoreChange> listener) {
        Objects.requireNonNull(listener, "listener");
        PgJobAnnouncements a = queue.announcements();
        return a == null ? Optional.empty() : Optional.of(a.listenChanges(listener));
    }

    @Override
    public EventOutbox events() {
        return events;
    }

    @Override
    public OwnerAlerts ownerAlerts() {
        return alerts;
    }
}
