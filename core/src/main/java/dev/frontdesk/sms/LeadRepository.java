package dev.frontdesk.sms;

import java.time.Duration;
import java.time.Instant;

/**
 * The store: leads, their messages, usage and the reply queue. Implementations: {@code InMemoryLeadRepository}
 * (tests, quick starts) and {@code dev.frontdesk.sms.jdbc.JdbcLeadRepository} (H2, PostgreSQL).
 *
 * <p>This interface holds what spans the parts of the store: the webhook's transaction for an inbound text,
 * and the health check. Each part has its own interface, reached through an accessor that returns the same
 * object every time: {@link #leads()}, {@link #messages()}, {@link #usage()} and {@link #replyQueue()}.
 *
 * <p>Implementations must be thread-safe and, where several processes share one store, correct across
 * them: the same MessageSid recorded at once from several places gives one message and one reply job;
 * first messages from a new number arriving at once give one lead. Every method, here and on the parts,
 * throws {@link StoreUnavailableException} when the store cannot be reached, and changes nothing then.
 * The contract suites in core's test-jar ({@code LeadRepositoryContract}, {@code LeadStoreContract},
 * {@code MessageStoreContract}, {@code UsageLedgerContract}, {@code ReplyQueueContract}) check all of this.
 */
public interface LeadRepository {

    /**
     * Records an inbound message in one transaction: finds or creates the lead by {@code sms.from()}
     * (source {@code sms}), inserts the message keyed by MessageSid with its media, sets
     * {@code sms_enabled} and {@code last_sms_at}, applies {@code keyword} to the opt-out flag, and
     * enqueues one reply job if {@link Keyword#wantsAiReply} says so, due {@code replyDelay} after {@code now}
     * (the front desk waits that long for the customer's next text, so that a burst gets one answer), and cancels
     * the lead's follow-up not yet claimed ({@link ReplyJob.Kind#FOLLOW_UP}: the customer answered). A MessageSid
     * already stored changes nothing and is reported as a duplicate.
     */
    InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now, Duration replyDelay);

    /** {@link #recordInbound(InboundSms, Keyword, Instant, Duration)} with its reply job due at once. */
    default InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now) {
        return recordInbound(sms, keyword, now, Duration.ZERO);
    }

    /**
     * Stores a text from a sender that is not an SMS phone number (short code, alphanumeric sender ID, channel
     * address such as {@code whatsapp:}), once per MessageSid, without creating or changing any lead and without
     * enqueuing a reply. Also under races, one SID gives one row. {@link MessageStore#otherSenderMessages} reads
     * them back.
     *
     * @param message what the webhook carried ({@code id}, {@code createdAt} ignored)
     * @param now     its {@code createdAt}
     * @return whether it was stored now; false when that MessageSid was stored already (nothing changes)
     */
    boolean recordOtherSender(OtherSenderMessage message, Instant now);

    /**
     * Records a call nobody answered, in one transaction: finds or creates the caller's SMS lead (a new lead gets
     * source {@code call}; an existing one keeps its source) and enqueues one reply job of kind
     * {@link ReplyJob.Kind#MISSED_CALL}, due at {@code now}, keyed by {@code callSid}: a call already recorded (Twilio
     * repeats a callback) enqueues nothing more, also under races. An opted-out lead gets no job. The job's
     * {@link ReplyContext#textedNumber()} is {@code calledNumber}, so the text goes out from the number that was called.
     *
     * @param calledNumber the business number called (the call's {@code To}, at most 32 characters), or null
     */
    MissedCallResult recordMissedCall(PhoneNumber caller, String calledNumber, String callSid, Instant now);

    /** Checks that the store answers; @throws StoreUnavailableException if not. */
    void checkAvailable();

    /** The leads. */
    LeadStore leads();

    /** The messages of every lead, and the texts of other senders. */
    MessageStore messages();

    /** AI calls and the counters of the abuse caps. */
    UsageLedger usage();

    /** The durable reply queue, whose jobs {@link #recordInbound} enqueues. */
    ReplyQueue replyQueue();

    /**
     * The durable outbox of events for the host's CRM, which the store's writes fill once it is enabled. Stores that
     * keep none leave this default, {@link EventOutbox#UNSUPPORTED}: a front desk built with event webhooks then
     * refuses to start.
     */
    default EventOutbox events() {
        return EventOutbox.UNSUPPORTED;
    }

    /**
     * Asks the store to tell {@code listener} of the lead and message changes that other processes (other store objects
     * on the same database) make, so that this front desk's live streams show them: the JDBC store on PostgreSQL does
     * this with {@code NOTIFY} in the writer's transaction and its listening connection. Changes this store object makes
     * are not relayed (the front desk publishes those itself). {@code listener} is quick and does not throw; it is
     * called from a thread of the store's. Changes made while the store could not listen are not replayed (the
     * dashboard's slow poll covers them). Stores that cannot relay changes keep this default.
     *
     * @return the subscription, which stops the calls when closed; empty when this store cannot relay changes
     */
    default java.util.Optional<AutoCloseable> onOtherChanges(java.util.function.Consumer<StoreChange> listener) {
        return java.util.Optional.empty();
    }

    /**
     * The durable queue of texts to the business owner, which the store's writes fill once it is enabled. Stores that
     * keep none leave this default, {@link OwnerAlerts#UNSUPPORTED}: a front desk with {@code OWNER_PHONE_NUMBER} then
     * sends no alerts and says so at start.
     */
    default OwnerAlerts ownerAlerts() {
        return OwnerAlerts.UNSUPPORTED;
    }
}
