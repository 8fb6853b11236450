package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.EventType;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadCursor;
import dev.frontdesk.sms.LeadFilter;
import dev.frontdesk.sms.LeadQuery;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.OwnerAlerts;
import dev.frontdesk.sms.Qualification;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The in-memory store's {@link LeadStore}, on the shared {@link MemoryState}. */
final class MemoryLeadStore implements LeadStore {

    private final MemoryState s;

    MemoryLeadStore(MemoryState state) {
        this.s = state;
    }

    @Override
    public Lead findOrCreateLead(PhoneNumber phone, String source, Instant now) {
        synchronized (s.lock) {
            return s.findOrCreateLead(phone, Channel.SMS, source, now);
        }
    }

    @Override
    public Optional<Lead> findLead(long leadId) {
        synchronized (s.lock) {
            return Optional.ofNullable(s.leads.get(leadId));
        }
    }

    @Override
    public Optional<Lead> findLeadByPhone(PhoneNumber phone, Channel channel) {
        synchronized (s.lock) {
            Long id = s.leadIdByPhone.get(MemoryState.key(channel, phone));
            return id == null ? Optional.empty() : Optional.of(s.leads.get(id));
        }
    }

    /** Most recent activity first, then higher id first: the order of {@link LeadCursor}s. */
    private static final Comparator<LeadCursor> NEWEST_FIRST =
            Comparator.comparing(LeadCursor::activityAt).thenComparingLong(LeadCursor::leadId).reversed();

    @Override
    public List<Lead> listLeads(LeadQuery query) {
        synchronized (s.lock) {
            Map<Long, Message> last = query.filter() == LeadFilter.UNANSWERED ? s.lastMessages() : Map.of();
            return s.leads.values().stream()
                    .filter(l -> query.after() == null || NEWEST_FIRST.compare(LeadCursor.after(l), query.after()) > 0)
                    .filter(l -> matches(l, query, last))
                    .sorted(Comparator.comparing(LeadCursor::after, NEWEST_FIRST))
                    .limit(query.limit())
                    .toList();
        }
    }

    private static boolean matches(Lead l, LeadQuery query, Map<Long, Message> last) {
        if (query.search() != null) {
            String lower = query.searchLowerCase();
            String digits = query.searchDigits();
            boolean found = contains(l.name(), lower) || contains(l.qualification().name(), lower)
                    || (digits != null && l.phoneNumber().value().contains(digits));
            if (!found) {
                return false;
            }
        }
        if (query.filter() == null) {
            return true;
        }
        return switch (query.filter()) {
            case UNANSWERED -> last.containsKey(l.id()) && last.get(l.id()).direction() == Direction.INBOUND;
            case OPTED_OUT -> l.smsOptOut();
            case AI_PAUSED -> !l.aiActive(query.now());
        };
    }

    private static boolean contains(String text, String lowerCaseNeedle) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(lowerCaseNeedle);
    }

    @Override
    public Lead setOptOut(long leadId, boolean optedOut, Instant now) {
        synchronized (s.lock) {
            Lead l = s.existingLead(leadId);
            if (optedOut) {
                s.cancelFollowUps(leadId, now);
            }
            return s.update(leadId, l.withSms(l.smsEnabled(), optedOut, l.lastSmsAt()));
        }
    }

    @Override
    public Lead setAi(long leadId, boolean enabled, Instant pausedUntil) {
        synchronized (s.lock) {
            return s.update(leadId, s.existingLead(leadId).withAi(enabled, pausedUntil));
        }
    }

    @Override
    public Lead pauseAiUntil(long leadId, Instant until) {
        synchronized (s.lock) {
            Lead l = s.existingLead(leadId);
            if (!l.aiEnabled() && (l.aiPausedUntil() == null || !l.aiPausedUntil().isBefore(until))) {
                return l;
            }
            return s.update(leadId, l.withAi(false, until));
        }
    }

    @Override
    public Lead updateQualification(long leadId, Map<Qualification.Field, String> values, boolean byStaff, Instant now) {
        Objects.requireNonNull(now, "now");
        synchronized (s.lock) {
            Lead l = s.existingLead(leadId);
            Lead updated = s.update(leadId, l.withQualification(l.qualification().merge(values, byStaff)));
            if (!l.qualification().fullyQualified() && updated.qualification().fullyQualified()) {
                s.event(EventType.LEAD_QUALIFIED, leadId, null, now);
            }
            s.alert(leadId, OwnerAlerts.reasons(l.qualification(), updated.qualification(), values, byStaff), now);
            return updated;
        }
    }

    @Override
    public Optional<Instant> lastMissedCallAt(long leadId) {
        synchronized (s.lock) {
            return s.jobs.values().stream().filter(j -> j.leadId == leadId && j.kind == dev.frontdesk.sms.ReplyJob.Kind.MISSED_CALL)
                    .map(j -> j.createdAt).max(Comparator.naturalOrder());
        }
    }

    @Override
    public Lead markAfterHoursNotice(long leadId, Instant at) {
        synchronized (s.lock) {
            return s.update(leadId, s.existingLead(leadId).withAfterHoursNoticeAt(at));
        }
    }
}
