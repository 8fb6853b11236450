package dev.frontdesk.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable queue of texts to the business owner, reached through {@link LeadRepository#ownerAlerts()}.
 *
 * <p>Once {@link #enable() enabled} (the front desk does it when {@code OWNER_PHONE_NUMBER} is set), the store records
 * an alert in the same transaction as the change that calls for it, at most one per lead and {@link OwnerAlert.Reason}
 * (also under races and across processes): {@link ReplyQueue#recordReply} records {@code handoff} when it records a
 * reply whose findings ask for a person, and, from the booking details the AI learned, {@code emergency} (urgency
 * {@code emergency}) and {@code qualified} (the lead became fully qualified); {@link LeadStore#updateQualification}
 * records {@code qualified} when its change makes the lead fully qualified. Which reasons a change calls for is
 * {@link #reasons}. Each alert names the lead's latest inbound message at that moment, which the text quotes.
 * Disabled (the default), nothing is recorded.
 *
 * <p>Sending works like the event outbox: a worker claims due alerts with a lease; while it holds the lease no other
 * worker gets them; each method that settles an alert names the worker and does nothing (false) when that worker no
 * longer holds it. Safe for many workers in many processes at once. Every method throws
 * {@link StoreUnavailableException} when the store cannot be reached, and changes nothing then. The contract suite
 * {@code OwnerAlertsContract} in core's test-jar checks all of this.
 */
public interface OwnerAlerts {

    /** The alerts of a store that keeps none: {@link #enable()} throws, everything else is empty. */
    OwnerAlerts UNSUPPORTED = new OwnerAlerts() {
        @Override
        public void enable() {
            throw new UnsupportedOperationException("This store keeps no owner alerts: use the JDBC or in-memory store for"
                    + " OWNER_PHONE_NUMBER alerts, or implement LeadRepository.ownerAlerts().");
        }

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public List<OwnerAlert> claim(String workerId, Duration lease, Instant now, int limit) {
            return List.of();
        }

        @Override
        public boolean markSent(long id, String workerId, String twilioSid, Instant now) {
            return false;
        }

        @Override
        public boolean retryLater(long id, String workerId, String lastError, Instant nextAttemptAt) {
            return false;
        }

        @Override
        public boolean markFailed(long id, String workerId, String lastError, Instant now) {
            return false;
        }

        @Override
        public List<OwnerAlert> forLead(long leadId) {
            return List.of();
        }

        @Override
        public Optional<Instant> nextDueAt(Instant now) {
            return Optional.empty();
        }
    };

    /** From now on, records alerts in the transactions of the changes that call for them. Idempotent. */
    void enable();

    /** Whether {@link #enable()} was called on this store object. */
    boolean enabled();

    /**
     * Claims up to {@code limit} alerts that are due and not leased (or whose lease expired), oldest first, for
     * {@code lease}; each claim counts as an attempt.
     */
    List<OwnerAlert> claim(String workerId, Duration lease, Instant now, int limit);

    /** Marks a held alert sent with Twilio's SID; false when the worker no longer holds it. */
    boolean markSent(long id, String workerId, String twilioSid, Instant now);

    /** Gives a held alert back to be tried again at {@code nextAttemptAt}; false when the worker no longer holds it. */
    boolean retryLater(long id, String workerId, String lastError, Instant nextAttemptAt);

    /** Gives up on a held alert: it is {@code failed} and never tried again; false when the worker no longer holds it. */
    boolean markFailed(long id, String workerId, String lastError, Instant now);

    /** The lead's alerts, oldest first (at most one per reason). */
    List<OwnerAlert> forLead(long leadId);

    /** When the next pending alert becomes claimable (its next attempt, or the end of a running lease), or empty. */
    Optional<Instant> nextDueAt(Instant now);

    /**
     * The reasons a change of booking details calls for, whether or not they were alerted before (the store keeps
     * one per lead and reason): {@code qualified} when {@code before} was not fully qualified and {@code after} is;
     * {@code emergency} when the AI (not staff) wrote urgency {@code emergency} and it stands in {@code after}.
     *
     * @param learned the values written ({@code Map} given to {@link LeadStore#updateQualification})
     * @param byStaff whether staff wrote them
     */
    static Set<OwnerAlert.Reason> reasons(Qualification before, Qualification after, Map<Qualification.Field, String> learned,
            boolean byStaff) {
        Set<OwnerAlert.Reason> out = EnumSet.noneOf(OwnerAlert.Reason.class);
        if (!before.fullyQualified() && after.fullyQualified()) {
            out.add(OwnerAlert.Reason.QUALIFIED);
        }
        if (!byStaff && isEmergency(learned.get(Qualification.Field.URGENCY)) && isEmergency(after.urgency())) {
            out.add(OwnerAlert.Reason.EMERGENCY);
        }
        return out;
    }

    private static boolean isEmergency(String urgency) {
        return urgency != null && urgency.strip().toLowerCase(Locale.ROOT).equals("emergency");
    }
}
