package dev.frontdesk.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable outbox of events for the host's CRM, reached through {@link LeadRepository#events()}.
 *
 * <p>Once {@link #enable() enabled}, the store records an event in the same transaction as the change it reports:
 * {@code lead.created} and {@code message.received} in {@link LeadRepository#recordInbound} (and {@code lead.created}
 * when {@link LeadStore#findOrCreateLead} creates one), {@code message.sent} in {@link MessageStore#markSent} and
 * {@link ReplyQueue#completeSent}, {@code lead.qualified} when {@link ReplyQueue#recordReply} or
 * {@link LeadStore#updateQualification} makes a lead fully qualified. Disabled (the default), it records nothing.
 *
 * <p>Delivery works like the reply queue: a worker claims due events with a lease; while it holds the lease no other
 * worker gets them; each method that settles an event names the worker and does nothing (false) when that worker no
 * longer holds it. Safe for many workers in many processes at once. Every method throws
 * {@link StoreUnavailableException} when the store cannot be reached, and changes nothing then. The contract suite
 * {@code EventOutboxContract} in core's test-jar checks all of this.
 */
public interface EventOutbox {

    /** The outbox of a store that keeps none: {@link #enable()} throws, everything else is empty. */
    EventOutbox UNSUPPORTED = new EventOutbox() {
        @Override
        public void enable() {
            throw new UnsupportedOperationException("This store keeps no event outbox: use the JDBC or in-memory store for"
                    + " EVENTS_WEBHOOK_URL, or implement LeadRepository.events().");
        }

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public OutboxEvent record(EventType type, long leadId, Long messageId, Instant now) {
            throw new UnsupportedOperationException("This store keeps no event outbox.");
        }

        @Override
        public List<OutboxEvent> claim(String workerId, Duration lease, Instant now, int limit) {
            return List.of();
        }

        @Override
        public boolean markDelivered(long id, String workerId, Instant now) {
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
        public List<OutboxEvent> list(OutboxEvent.Status status, int limit) {
            return List.of();
        }

        @Override
        public Optional<Instant> nextDueAt(Instant now) {
            return Optional.empty();
        }
    };

    /**
     * From now on, records events in the transactions of the changes they report. Idempotent; the front desk calls
     * it when it is built with event webhooks.
     *
     * @throws UnsupportedOperationException when the store keeps no outbox
     */
    void enable();

    /** Whether {@link #enable()} was called on this store object. */
    boolean enabled();

    /**
     * Records an event that is not part of another store change, due at once (whether or not the outbox is enabled).
     *
     * @throws LeadNotFoundException for an unknown lead
     */
    OutboxEvent record(EventType type, long leadId, Long messageId, Instant now);

    /**
     * Claims up to {@code limit} events that are due and not leased (or whose lease expired), oldest first, for
     * {@code lease}; each claim counts as an attempt.
     */
    List<OutboxEvent> claim(String workerId, Duration lease, Instant now, int limit);

    /** Marks a held event delivered; false when the worker no longer holds it. */
    boolean markDelivered(long id, String workerId, Instant now);

    /** Gives a held event back to be tried again at {@code nextAttemptAt}; false when the worker no longer holds it. */
    boolean retryLater(long id, String workerId, String lastError, Instant nextAttemptAt);

    /** Gives up on a held event: it is {@code failed} and never tried again; false when the worker no longer holds it. */
    boolean markFailed(long id, String workerId, String lastError, Instant now);

    /** The newest {@code limit} events in {@code status}, newest first. */
    List<OutboxEvent> list(OutboxEvent.Status status, int limit);

    /** When the next pending event becomes claimable (its next attempt, or the end of a running lease), or empty. */
    Optional<Instant> nextDueAt(Instant now);
}
