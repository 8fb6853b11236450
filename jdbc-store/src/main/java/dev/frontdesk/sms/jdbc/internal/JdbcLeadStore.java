package dev.frontdesk.sms.jdbc.internal;

import static dev.frontdesk.sms.jdbc.internal.Rows.LEAD_COLUMNS;
import static dev.frontdesk.sms.jdbc.internal.Rows.ts;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadFilter;
import dev.frontdesk.sms.LeadQuery;
import dev.frontdesk.sms.LeadNotFoundException;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.OwnerAlerts;
import dev.frontdesk.sms.Qualification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The leads in table {@code leads}. Each change is one transaction; a change that depends on the row as it
 * is (a pause, a qualification merge) locks it first. Thread-safe.
 */
public final class JdbcLeadStore implements LeadStore {

    private final Tx tx;
    private final JdbcEventOutbox events;
    private final ChangeAnnouncements changes;
    private final JdbcOwnerAlerts alerts;

    public JdbcLeadStore(Tx tx, JdbcEventOutbox events, ChangeAnnouncements changes, JdbcOwnerAlerts alerts) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.events = Objects.requireNonNull(events, "events");
        this.changes = Objects.requireNonNull(changes, "changes");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    @Override
    public Lead findOrCreateLead(PhoneNumber phone, String source, Instant now) {
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(now, "now");
        return tx.write(h -> leadByPhone(h, phone, Channel.SMS).orElseGet(() -> {
            Lead created = insertLead(h, phone, source, now);
            events.write(h, EventType.LEAD_CREATED, created.id(), null, now);
            return created;
        }));
    }

    /**
     * Inserts a new SMS lead. A concurrent first insert of the same number fails on
     * {@code leads_channel_phone_number_uq}; {@link Tx} re-runs the transaction, which then finds that lead.
     */
    public static Lead insertLead(Handle h, PhoneNumber phone, String source, Instant now) {
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
    public Optional<Lead> findLeadByPhone(PhoneNumber phone, Channel channel) {
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(channel, "channel");
        return tx.read(h -> leadByPhone(h, phone, channel));
    }

    /** The lead with this number on {@code channel}, read on {@code h}. */
    public static Optional<Lead> leadByPhone(Handle h, PhoneNumber phone, Channel channel) {
        return h.createQuery("SELECT " + LEAD_COLUMNS + " FROM leads WHERE channel = :channel AND phone_number = :phone")
                .bind("channel", channel.wireName()).bind("phone", phone.value()).map((rs, ctx) -> Rows.lead(rs)).findOne();
    }

    /**
     * Two ordered reads, merged: leads with a message by {@code last_sms_at} from the {@code leads_*activity_idx}
     * indexes (V8), and leads without one (few: a lead gets its first message in the transaction that creates it,
     * except a lead staff create by texting first) from the NULL end of the same index, sorted by
     * {@code created_at}. Each read stops after {@code limit} rows, so the final sort never holds more than twice
     * that. Search and filters are conditions on the walk in activity order.
     */
    @Override
    public List<Lead> listLeads(LeadQuery query) {
        Objects.requireNonNull(query, "query");
        if (query.limit() == 0) {
            return List.of();
        }
        return tx.read(h -> listQuery(h, "", query).map((rs, ctx) -> Rows.lead(rs)).list());
    }

    /** The statement {@link #listLeads(LeadQuery)} runs, with {@code prefix} (such as {@code EXPLAIN}) before it. */
    static Query listQuery(Handle h, String prefix, LeadQuery query) {
        String where = conditions(query);
        String withMessage = "SELECT " + LEAD_COLUMNS + ", last_sms_at AS activity_at FROM leads"
                + " WHERE last_sms_at IS NOT NULL" + where + (query.after() == null ? "" : " AND (last_sms_at, id) < (:at, :id)")
                + " ORDER BY last_sms_at DESC, id DESC FETCH FIRST :limit ROWS ONLY";
        String withoutMessage = "SELECT " + LEAD_COLUMNS + ", created_at AS activity_at FROM leads"
                + " WHERE last_sms_at IS NULL" + where + (query.after() == null ? "" : " AND (created_at, id) < (:at, :id)")
                + " ORDER BY created_at DESC, id DESC FETCH FIRST :limit ROWS ONLY";
        Query q = h.createQuery(prefix + "SELECT * FROM (" + withMessage + ") a UNION ALL SELECT * FROM (" + withoutMessage + ") b"
                + " ORDER BY activity_at DESC, id DESC FETCH FIRST :limit ROWS ONLY").bind("limit", query.limit());
        if (query.after() != null) {
            q.bind("at", ts(query.after().activityAt())).bind("id", query.after().leadId());
        }
        if (query.search() != null) {
            q.bind("pattern", "%" + likeEscaped(query.searchLowerCase()) + "%");
            if (query.searchDigits() != null) {
                q.bind("digits", "%" + query.searchDigits() + "%");
            }
        }
        if (query.filter() == LeadFilter.AI_PAUSED) {
            q.bind("now", ts(query.now()));
        }
        return q;
    }

    private static String conditions(LeadQuery query) {
        StringBuilder where = new StringBuilder();
        if (query.search() != null) {
            where.append(" AND (LOWER(name) LIKE :pattern ESCAPE '!' OR LOWER(qualification_name) LIKE :pattern ESCAPE '!'")
                    .append(query.searchDigits() != null ? " OR phone_number LIKE :digits" : "").append(')');
        }
        if (query.filter() != null) {
            where.append(switch (query.filter()) {
                case UNANSWERED -> " AND last_message_direction = 'inbound'";
                case OPTED_OUT -> " AND sms_opt_out = TRUE";
                case AI_PAUSED -> " AND ai_enabled = FALSE AND (ai_paused_until IS NULL OR ai_paused_until > :now)";
            });
        }
        return where.toString();
    }

    /**
     * {@code text} with LIKE's wildcards and the escape character escaped ({@code ESCAPE '!'}: not a backslash, which
     * Jdbi's statement parser would read as an escape inside the quotes).
     */
    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @Override
    public Lead setOptOut(long leadId, boolean optedOut, Instant now) {
        Tx.Dialect dialect = tx.dialect(); // read before the transaction: the first read takes a connection of its own
        return tx.write(h -> {
            int n = h.createUpdate("UPDATE leads SET sms_opt_out = :o WHERE id = :id").bind("o", optedOut).bind("id", leadId)
                    .execute();
            if (n == 0) {
                throw new LeadNotFoundException("No lead has id " + leadId + ".");
            }
            if (optedOut) {
                FollowUpJobs.cancel(h, dialect, leadId, now);
            }
            return changes.lead(h, lead(h, leadId).orElseThrow());
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
            return changes.lead(h, lead(h, leadId).orElseThrow());
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
            return changes.lead(h, lead(h, leadId).orElseThrow());
        });
    }

    @Override
    public Lead updateQualification(long leadId, Map<Qualification.Field, String> values, boolean byStaff, Instant now) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(now, "now");
        return tx.write(h -> {
            Qualification before = lockLead(h, leadId).qualification();
            Lead lead = updateQualification(h, leadId, values, byStaff);
            if (!before.fullyQualified() && lead.qualification().fullyQualified()) {
                events.write(h, EventType.LEAD_QUALIFIED, leadId, null, now); // the reply path's rule (JdbcReplyQueue.recordReply)
            }
            alerts.write(h, leadId, OwnerAlerts.reasons(before, lead.qualification(), values, byStaff), now);
            return changes.lead(h, lead);
        });
    }

    /** {@link #updateQualification(long, Map, boolean, Instant)} on {@code h}, without its event: locks the lead's row until commit. */
    public static Lead updateQualification(Handle h, long leadId, Map<Qualification.Field, String> values, boolean byStaff) {
        Qualification q = lockLead(h, leadId).qualification().merge(values, byStaff);
        h.createUpdate("UPDATE leads SET qualification_name = :n, qualification_service = :s,"
                        + " qualification_address = :a, qualification_urgency = :u, qualification_preferred_time = :p,"
                        + " qualification_staff_fields = :f WHERE id = :id")
                .bind("n", q.name()).bind("s", q.service()).bind("a", q.address()).bind("u", q.urgency())
                .bind("p", q.preferredTime()).bind("f", q.staffEditedWire()).bind("id", leadId).execute();
        return lead(h, leadId).orElseThrow();
    }

    @Override
    public Optional<Instant> lastMissedCallAt(long leadId) {
        return tx.read(h -> h.createQuery("SELECT MAX(created_at) AS at FROM reply_jobs WHERE lead_id = :id AND kind = :kind")
                .bind("id", leadId).bind("kind", dev.frontdesk.sms.ReplyJob.Kind.MISSED_CALL.wireName())
                .map((rs, ctx) -> Optional.ofNullable(Rows.instant(rs, "at"))).one());
    }

    @Override
    public Lead markAfterHoursNotice(long leadId, Instant at) {
        return tx.write(h -> {
            int n = h.createUpdate("UPDATE leads SET after_hours_notice_at = :at WHERE id = :id")
                    .bind("at", ts(at)).bind("id", leadId).execute();
            if (n == 0) {
                throw new LeadNotFoundException("No lead has id " + leadId + ".");
            }
            return changes.lead(h, lead(h, leadId).orElseThrow());
        });
    }

    /** The lead with this id, its row locked until commit; throws {@link LeadNotFoundException} when there is none. */
    public static Lead lockLead(Handle h, long leadId) {
        return h.createQuery("SELECT " + LEAD_COLUMNS + " FROM leads WHERE id = :id FOR UPDATE")
                .bind("id", leadId).map((rs, ctx) -> Rows.lead(rs)).findOne()
                .orElseThrow(() -> new LeadNotFoundException("No lead has id " + leadId + "."));
    }

    /** The lead with this id, read on {@code h}. */
    public static Optional<Lead> lead(Handle h, long leadId) {
        return h.createQuery("SELECT " + LEAD_COLUMNS + " FROM leads WHERE id = :id")
                .bind("id", leadId).map((rs, ctx) -> Rows.lead(rs)).findOne();
    }
}
