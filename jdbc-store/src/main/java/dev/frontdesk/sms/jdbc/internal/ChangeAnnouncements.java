package dev.frontdesk.sms.jdbc.internal;

import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.StoreChange;
import java.util.Objects;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * Tells other stores on the same PostgreSQL schema of a lead or message change, with {@code NOTIFY} in the writer's
 * transaction ({@link PgJobAnnouncements#announce(Handle, StoreChange)}: delivered on commit, nothing on rollback,
 * no commit of its own); their front desks' live streams then show it. Nothing without a listening data source or on
 * another database. Thread-safe.
 */
public final class ChangeAnnouncements {

    private final Supplier<PgJobAnnouncements> announcements;

    /** @param announcements the store's PostgreSQL announcements when it has them (and is on PostgreSQL), else null */
    public ChangeAnnouncements(Supplier<PgJobAnnouncements> announcements) {
        this.announcements = Objects.requireNonNull(announcements, "announcements");
    }

    /** Announces a change of {@code lead}'s own fields; returns it. */
    public Lead lead(Handle h, Lead lead) {
        announce(h, StoreChange.lead(lead.id()));
        return lead;
    }

    /** Announces that {@code message} was stored or changed; returns it. */
    public Message message(Handle h, Message message) {
        announce(h, StoreChange.message(message.leadId(), message.id()));
        return message;
    }

    /** Announces {@code change} in {@code h}'s transaction. */
    public void announce(Handle h, StoreChange change) {
        PgJobAnnouncements a = announcements.get();
        if (a != null) {
            a.announce(h, change);
        }
    }
}
