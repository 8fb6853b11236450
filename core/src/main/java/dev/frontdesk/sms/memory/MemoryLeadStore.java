package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.Qualification;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
            return s.findOrCreateLead(phone, source, now);
        }
    }

    @Override
    public Optional<Lead> findLead(long leadId) {
        synchronized (s.lock) {
            return Optional.ofNullable(s.leads.get(leadId));
        }
    }

    @Override
    public Optional<Lead> findLeadByPhone(PhoneNumber phone) {
        synchronized (s.lock) {
            Long id = s.leadIdByPhone.get(phone.value());
            return id == null ? Optional.empty() : Optional.of(s.leads.get(id));
        }
    }

    @Override
    public List<Lead> listLeads(int limit) {
        synchronized (s.lock) {
            return s.leads.values().stream()
                    .sorted(Comparator.comparing((Lead l) -> l.lastSmsAt() != null ? l.lastSmsAt() : l.createdAt())
                            .thenComparingLong(Lead::id).reversed())
                    .limit(Math.max(0, limit))
                    .toList();
        }
    }

    @Override
    public Lead setOptOut(long leadId, boolean optedOut, Instant now) {
        synchronized (s.lock) {
            Lead l = s.existingLead(leadId);
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
    public Lead updateQualification(long leadId, Map<Qualification.Field, String> values, boolean byStaff) {
        synchronized (s.lock) {
            Lead l = s.existingLead(leadId);
            return s.update(leadId, l.withQualification(l.qualification().merge(values, byStaff)));
        }
    }

    @Override
    public Lead markAfterHoursNotice(long leadId, Instant at) {
        synchronized (s.lock) {
            return s.update(leadId, s.existingLead(leadId).withAfterHoursNoticeAt(at));
        }
    }
}
