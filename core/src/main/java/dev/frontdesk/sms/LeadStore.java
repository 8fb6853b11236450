package dev.frontdesk.sms;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The leads: one per channel and phone number (a number may have an SMS lead and a WhatsApp lead), with their opt-out flag, AI switch and qualification. Reached through
 * {@link LeadRepository#leads()}.
 *
 * <p>Implementations must be thread-safe and, where several processes share one store, correct across them:
 * each change is atomic, and a number looked up or created from several places at once gives one lead. Every
 * method throws {@link StoreUnavailableException} when the store cannot be reached, and changes nothing then.
 */
public interface LeadStore {

    /**
     * Finds the SMS lead with this number or creates it with {@code source}; one lead per number and channel, also
     * under races. (WhatsApp leads are created by {@link LeadRepository#recordInbound} only.)
     */
    Lead findOrCreateLead(PhoneNumber phone, String source, Instant now);

    Optional<Lead> findLead(long leadId);

    /** The SMS lead of this number: {@link #findLeadByPhone(PhoneNumber, Channel)} with {@link Channel#SMS}. */
    default Optional<Lead> findLeadByPhone(PhoneNumber phone) {
        return findLeadByPhone(phone, Channel.SMS);
    }

    /** The lead of this number on {@code channel}. */
    Optional<Lead> findLeadByPhone(PhoneNumber phone, Channel channel);

    /** Up to {@code limit} leads, most recent activity ({@code last_sms_at}, else {@code created_at}) first. */
    default List<Lead> listLeads(int limit) {
        return listLeads(LeadQuery.first(limit, Instant.EPOCH));
    }

    /**
     * The leads {@code query} asks for, most recent activity first ({@code last_sms_at}, else {@code created_at};
     * then higher id first), after its cursor; at most {@code query.limit()}. A lead is {@link LeadFilter#UNANSWERED}
     * when its latest message (the one {@link MessageStore#lastMessages} gives) is inbound. The cost must not grow
     * with the number of leads that come before the cursor or do not match the filter (indexes, not scans).
     */
    List<Lead> listLeads(LeadQuery query);

    /**
     * Sets or clears the lead's opt-out flag; an opt-out also cancels the lead's follow-up not yet claimed
     * ({@link ReplyJob.Kind#FOLLOW_UP}), in the same transaction. @throws LeadNotFoundException for an unknown id
     */
    Lead setOptOut(long leadId, boolean optedOut, Instant now);

    /**
     * Switches the lead's AI on ({@code pausedUntil} ignored) or off until {@code pausedUntil} (null: until
     * it is switched on again). @throws LeadNotFoundException for an unknown id
     */
    Lead setAi(long leadId, boolean enabled, Instant pausedUntil);

    /**
     * Pauses the lead's AI until {@code until} because staff texted by hand: lengthens a shorter pause,
     * never shortens a longer one, and leaves an AI switched off without end as it is.
     * @throws LeadNotFoundException for an unknown id
     */
    Lead pauseAiUntil(long leadId, Instant until);

    /**
     * Applies {@code values} to the lead's qualification atomically, as {@link Qualification#merge} says:
     * staff values always win and are remembered as staff edits; AI values never replace them. When the edit makes the
     * lead fully qualified ({@link Qualification#fullyQualified()}) and it was not before, a {@code lead.qualified}
     * event is recorded at {@code now} in the same transaction (when the {@link EventOutbox} is enabled), and so are the
     * owner alerts the change calls for ({@link OwnerAlerts#reasons}, when {@link OwnerAlerts} are enabled).
     * @throws LeadNotFoundException for an unknown id
     */
    Lead updateQualification(long leadId, Map<Qualification.Field, String> values, boolean byStaff, Instant now);

    /** Records that the customer was told when a person follows up. @throws LeadNotFoundException for an unknown id */
    Lead markAfterHoursNotice(long leadId, Instant at);

    /**
     * When the lead's latest call nobody answered was recorded ({@link LeadRepository#recordMissedCall} with a job), or
     * empty: for quiet hours a caller who just called counts as a customer who just texted. A store that keeps no calls
     * may keep this default (empty), and then a caller counts as not having written.
     */
    default Optional<Instant> lastMissedCallAt(long leadId) {
        return Optional.empty();
    }
}
