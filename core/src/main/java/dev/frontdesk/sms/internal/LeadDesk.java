package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.InvalidRequestException;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadCursor;
import dev.frontdesk.sms.LeadOverview;
import dev.frontdesk.sms.LeadPage;
import dev.frontdesk.sms.LeadQuery;
import dev.frontdesk.sms.LeadNotFoundException;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.Qualification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff's reads and edits of leads: the list, a conversation, booking details set by hand, the AI switched on
 * or off. An unknown lead id is a {@link LeadNotFoundException}. Thread-safe.
 */
public final class LeadDesk {
    private static final Logger log = LoggerFactory.getLogger(LeadDesk.class);

    private final FrontDeskConfig config;
    private final LeadRepository repository;
    private final Clock clock;

    public LeadDesk(FrontDeskConfig config, LeadRepository repository, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Each given field is set (null clears it) and is never overwritten by the AI afterwards. */
    public Lead editQualification(long leadId, Map<Qualification.Field, String> values) {
        requireLead(leadId);
        return repository.leads().updateQualification(leadId, values, true, clock.instant());
    }

    /**
     * The AI on, or off for {@code minutes}, or off until switched on again when {@code minutes} is null.
     *
     * @throws InvalidRequestException when minutes is given with {@code enabled} or is not from 1 to 100000
     */
    public Lead setAi(long leadId, boolean enabled, Integer minutes) {
        if (minutes != null && enabled) {
            throw new InvalidRequestException("minutes goes with {\"enabled\": false} only: it says how long the AI stays off.");
        }
        if (minutes != null && (minutes < 1 || minutes > 100_000)) {
            throw new InvalidRequestException("minutes must be a whole number from 1 to 100000, was " + minutes + ".");
        }
        requireLead(leadId);
        Instant until = minutes == null ? null : clock.instant().plus(Duration.ofMinutes(minutes));
        Lead lead = repository.leads().setAi(leadId, enabled, until);
        log.info("🤖 AI for lead {} switched {}", leadId, enabled ? "on" : until == null ? "off" : "off until " + until);
        return lead;
    }

    /** The lead's conversation, oldest first. */
    public List<Message> history(long leadId, int limit) {
        requireLead(leadId);
        return repository.messages().history(leadId, limit);
    }

    /**
     * A page of leads, most recent activity first, each with its latest message (read for the whole page at once);
     * with a phone filter, the leads of that number: its SMS lead and its WhatsApp lead, as far as they exist (only the
     * WhatsApp one for {@code whatsapp:+1555...}).
     */
    public LeadPage leads(String phoneFilter, LeadQuery query) {
        if (phoneFilter != null && !phoneFilter.isBlank()) {
            // A '+' in a query string arrives as a space: " 1555..." means "+1555...".
            String typed = phoneFilter.startsWith(" ") ? "+" + phoneFilter.strip() : phoneFilter.strip();
            Channel only = Channel.ofAddress(typed) == Channel.WHATSAPP ? Channel.WHATSAPP : null;
            if (only != null) {
                String number = only.number(typed);
                typed = number.startsWith(" ") ? "+" + number.strip() : number.strip();
            }
            PhoneNumber phone = PhoneNumber.parse(typed, config.business().defaultRegion());
            List<Lead> found = new ArrayList<>();
            for (Channel channel : Channel.values()) {
                if (only == null || channel == only) {
                    repository.leads().findLeadByPhone(phone, channel).ifPresent(found::add);
                }
            }
            found.sort(Comparator.comparing((Lead l) -> LeadCursor.after(l).activityAt()).thenComparingLong(Lead::id).reversed());
            return new LeadPage(withLastMessages(found), null);
        }
        // One more than asked tells whether another page follows without handing out a cursor to an empty page.
        List<Lead> found = repository.leads().listLeads(query.withLimit(query.limit() + 1));
        boolean more = found.size() > query.limit();
        List<Lead> page = more ? found.subList(0, query.limit()) : found;
        return new LeadPage(withLastMessages(page), more ? LeadCursor.after(page.get(page.size() - 1)) : null);
    }

    /** The lead with its latest message and its owner alerts. @throws LeadNotFoundException for an unknown id */
    public LeadOverview lead(long leadId) {
        Lead lead = repository.leads().findLead(leadId)
                .orElseThrow(() -> new LeadNotFoundException("No lead has id " + leadId + "."));
        LeadOverview overview = withLastMessages(List.of(lead)).get(0);
        return new LeadOverview(lead, overview.lastMessage(), repository.ownerAlerts().forLead(leadId));
    }

    private List<LeadOverview> withLastMessages(List<Lead> leads) {
        if (leads.isEmpty()) {
            return List.of();
        }
        Map<Long, Message> last = repository.messages().lastMessages(leads.stream().map(Lead::id).toList());
        return leads.stream().map(l -> new LeadOverview(l, last.get(l.id()))).toList();
    }

    private void requireLead(long leadId) {
        if (repository.leads().findLead(leadId).isEmpty()) {
            throw new LeadNotFoundException("No lead has id " + leadId + ".");
        }
    }
}
