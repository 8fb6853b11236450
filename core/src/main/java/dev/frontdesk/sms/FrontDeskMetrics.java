package dev.frontdesk.sms;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Receives the front desk's operational events, for a metrics system. {@link #NONE} ignores them; the
 * Micrometer binding is {@code dev.frontdesk.sms.micrometer.MicrometerFrontDeskMetrics} in the artifact
 * {@code frontdesk-sms-micrometer}. Implementations must be
 * thread-safe and fast, and must not throw.
 */
public interface FrontDeskMetrics {

    /** Records nothing. */
    FrontDeskMetrics NONE = new FrontDeskMetrics() {
    };

    /** A Twilio webhook arrived ({@code kind}: {@code inbound} or {@code status}) and was accepted. */
    default void webhookReceived(String kind) {
    }

    /** A Twilio webhook was refused; {@code reason} is the error code, e.g. {@code invalid_signature}. */
    default void webhookRejected(String kind, String reason) {
    }

    /**
     * A text from a sender that is not an SMS phone number was stored and not answered; {@code kind}:
     * {@code short_code}, {@code alphanumeric} or {@code channel}. Repeated deliveries are not counted.
     */
    default void otherSenderReceived(String kind) {
    }

    /** A message went out; {@code kind}: {@code ai}, {@code fallback} or {@code staff}. */
    default void replySent(String kind) {
    }

    /** A reply-generator call ended; {@code outcome}: {@code ok}, {@code empty}, {@code refused}, {@code failed}, {@code timeout}. */
    default void aiCall(Duration latency, String outcome) {
    }

    /** The fallback reply was chosen instead of the AI's; {@code reason}: {@code no_ai}, {@code ai_failed}, {@code ai_paused}, {@code budget}, {@code ai_cap}. */
    default void fallbackReply(String reason) {
    }

    /**
     * A customer's text was stored and deliberately not answered automatically; {@code reason}: {@code lead_cap}
     * ({@code AI_REPLIES_PER_LEAD_PER_HOUR}), {@code auto_cap} ({@code AUTO_REPLIES_PER_HOUR}) or {@code region}
     * ({@code REPLY_COUNTRIES}).
     */
    default void replySkipped(String reason) {
    }

    /** Twilio refused a message or reported it failed, with its error code (or {@code unknown}). */
    default void twilioError(String code) {
    }

    /** Called once when the front desk is built, with the number of reply jobs not done yet. */
    default void queueDepth(LongSupplier pendingJobs) {
    }
}
