package dev.frontdesk.sms;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stores leads, their messages and the reply queue. Implementations: {@code InMemoryLeadRepository}
 * (tests, quick starts) and {@code dev.frontdesk.sms.jdbc.JdbcLeadRepository} (H2, PostgreSQL).
 *
 * <p>Implementations must be thread-safe and, where several processes share one store, correct across
 * them: the same MessageSid recorded at once from several places gives one message and one reply job;
 * first messages from a new number arriving at once give one lead. Every method throws
 * {@link StoreUnavailableException} when the store cannot be reached, and changes nothing then.
 * The contract suite {@code LeadRepositoryContract} (core test-jar) checks all of this.
 */
public interface LeadRepository {

    /**
     * Records an inbound message in one transaction: finds or creates the lead by {@code sms.from()}
     * (source {@code sms}), inserts the message keyed by MessageSid with its media, sets
     * {@code sms_enabled} and {@code last_sms_at}, applies {@code keyword} to the opt-out flag, and
     * enqueues one reply job if {@link Keyword#wantsAiReply} says so. A MessageSid already stored
     * changes nothing and is reported as a duplicate.
     */
    InboundResult recordInbound(InboundSms sms, Keyword keyword, Instant now);

    /**
     * Stores a text from a sender that is not an SMS phone number (short code, alphanumeric sender ID, channel
     * address such as {@code whatsapp:}), once per MessageSid, without creating or changing any lead and without
     * enqueuing a reply. Also under races, one SID gives one row.
     *
     * @param message what the webhook carried ({@code id}, {@code createdAt} ignored)
     * @param now     its {@code createdAt}
     * @return whether it was stored now; false when that MessageSid was stored already (nothing changes)
     */
    boolean recordOtherSender(OtherSenderMessage message, Instant now);

    /** The most recent {@code limit} texts stored by {@link #recordOtherSender}, newest first. */
    List<OtherSenderMessage> otherSenderMessages(int limit);

    /** Finds the lead with this number or creates it with {@code source}; one lead per number, also under races. */
    Lead findOrCreateLead(PhoneNumber phone, String source, Instant now);

    Optional<Lead> findLead(long leadId);

    Optional<Lead> findLeadByPhone(PhoneNumber phone);

    /** Up to {@code limit} leads, most recent activity ({@code last_sms_at}, else {@code created_at}) first. */
    List<Lead> listLeads(int limit);

    /** Sets or clears the lead's opt-out flag. @throws LeadNotFoundException for an unknown id */
    Lead setOptOut(long leadId, boolean optedOut, Instant now);

    // ---------------------------------------------------------------- features beyond the guide (issue #10)

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
     * staff values always win and are remembered as staff edits; AI values never replace them.
     * @throws LeadNotFoundException for an unknown id
     */
    Lead updateQualification(long leadId, Map<Qualification.Field, String> values, boolean byStaff);

    /** Records that the customer was told when a person follows up. @throws LeadNotFoundException for an unknown id */
    Lead markAfterHoursNotice(long leadId, Instant at);

    /** Records one reply-generator call for usage and cost. */
    void recordAiCall(AiCall call);

    /** Counts messages and AI calls created in {@code [from, to)}. */
    UsageCounts usage(Instant from, Instant to);

    /**
     * Records an outbound message and sets the lead's {@code last_sms_at}. When {@code replyJobId} is
     * set and a message for that job exists already, returns the existing one unchanged.
     */
    Message recordOutbound(NewOutboundMessage message);

    /** The outbound message recorded for a reply job, if any. */
    Optional<Message> findReplyForJob(long replyJobId);

    /**
     * Stores what the provider answered for an outbound message: SID, status, segments, {@code sent_at}.
     *
     * @throws DuplicateTwilioSidException if another message already has that SID (nothing is changed)
     */
    Message markSent(long messageId, SendResult result, Instant sentAt);

    /** Marks an outbound message as not sent ({@code failed}, or {@code simulated}) with an error code. */
    Message markFailed(long messageId, MessageStatus status, String errorCode);

    /**
     * Applies a delivery-status callback to the message with that SID if {@link MessageStatus#canMoveTo}
     * allows it: sets {@code delivered_at} on delivered, stores the error code, and opts the lead out on
     * error 21610. An unknown SID changes nothing.
     */
    StatusResult applyStatus(StatusUpdate update, Instant now);

    Optional<Message> findMessage(long messageId);

    Optional<Message> findMessageBySid(String twilioSid);

    /** The lead's most recent {@code limit} messages, oldest first. */
    List<Message> history(long leadId, int limit);

    /**
     * Notes that the automatic reply for reply job {@code replyJobId} to the lead is being written at
     * {@code at}: by the AI ({@code aiCall} true, one call to the model) or as the fallback without calling it.
     * The abuse caps ({@code AI_REPLIES_PER_LEAD_PER_HOUR}, {@code AI_REPLIES_PER_HOUR},
     * {@code AUTO_REPLIES_PER_HOUR}) are counted from these notes, so they hold across every instance that
     * shares the store. One note per job: a job that has one already (released at shutdown, retried after a
     * failure) keeps it unchanged, also when two instances note it at once, so it is counted once.
     *
     * @return whether this call added the note (false: the job had one)
     */
    boolean recordAutoReply(long replyJobId, long leadId, boolean aiCall, Instant at);

    /**
     * The note {@link #recordAutoReply} made for reply job {@code replyJobId}: whether it was for an AI call;
     * empty when the job has none.
     */
    Optional<Boolean> autoReplyAiCall(long replyJobId);

    /**
     * Automatic replies noted by {@link #recordAutoReply} at or after {@code since}: to the lead
     * {@code leadId}, or to every lead when it is null; only AI calls when {@code aiCallsOnly}.
     */
    long countAutoReplies(Long leadId, boolean aiCallsOnly, Instant since);

    /**
     * When the first of the lead's texts that no reply has been started for was stored: the earliest inbound
     * message of the lead stored after its latest outbound message and after its latest
     * {@link #recordAutoReply} note; empty when there is none. The reply worker holds a burst's answer back
     * from this moment for a bounded time.
     */
    Optional<Instant> firstUnansweredAt(long leadId);

    /**
     * Outbound messages typed by staff (recorded without a reply job) created at or after {@code since};
     * the staff cap {@code OUTBOUND_PER_MINUTE} is counted from it.
     */
    long countStaffMessages(Instant since);

    /** The durable reply queue stored beside the leads. */
    ReplyQueue replyQueue();

    /** Checks that the store answers; @throws StoreUnavailableException if not. */
    void checkAvailable();
}
