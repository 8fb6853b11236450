package dev.frontdesk.sms;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The conversation: inbound and outbound messages with their delivery status, and the texts kept from
 * senders that are not phone numbers. Inbound messages are written by {@link LeadRepository#recordInbound};
 * reached through {@link LeadRepository#messages()}.
 *
 * <p>Implementations must be thread-safe and, where several processes share one store, correct across them:
 * one outbound message per reply job and one message per provider SID, also under races. Every method throws
 * {@link StoreUnavailableException} when the store cannot be reached, and changes nothing then.
 */
public interface MessageStore {

    /**
     * Records an outbound message and sets the lead's {@code last_sms_at}. When {@code replyJobId} is
     * set and a message for that job exists already, returns the existing one unchanged.
     * @throws LeadNotFoundException for an unknown lead
     */
    Message recordOutbound(NewOutboundMessage message);

    /** The outbound message recorded for a reply job, if any. */
    Optional<Message> findReplyForJob(long replyJobId);

    /**
     * Stores what the provider answered for an outbound message: SID, status, segments, {@code sent_at}.
     *
     * @throws DuplicateTwilioSidException if another message already has that SID (nothing is changed)
     */
    default Message markSent(long messageId, SendResult result, Instant sentAt) {
        return markSent(messageId, result, sentAt, null);
    }

    /**
     * {@link #markSent(long, SendResult, Instant)}, and, when {@code followUpAt} is not null, in the same transaction the
     * message's lead's follow-up due then, as {@link ReplyQueue#completeSent(long, String, long, SendResult, AiCall, long,
     * Instant, Instant)} schedules it (a staff text).
     *
     * @throws DuplicateTwilioSidException if another message already has that SID (nothing is changed, nothing scheduled)
     */
    Message markSent(long messageId, SendResult result, Instant sentAt, Instant followUpAt);

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
     * The latest message (highest id) of each of these leads, with its media, read together (not one read per
     * lead); a lead with no message, or an unknown id, has no entry.
     */
    Map<Long, Message> lastMessages(Collection<Long> leadIds);

    /**
     * When the first of the lead's texts that no reply has been started for was stored: the first inbound message
     * (lowest id) of the lead stored after its latest outbound message and after its latest
     * {@link UsageLedger#recordAutoReply} note; empty when there is none. The reply worker holds a burst's
     * answer back from this moment for a bounded time.
     */
    Optional<Instant> firstUnansweredAt(long leadId);

    /** The most recent {@code limit} texts stored by {@link LeadRepository#recordOtherSender}, newest first. */
    List<OtherSenderMessage> otherSenderMessages(int limit);
}
