package dev.frontdesk.sms;

/**
 * What happened in a span of time, as counted by {@link UsageLedger#counts}. Outbound messages count
 * once Twilio accepted them (they have a SID); messages with unknown segments count as one segment.
 *
 * @param inbound          inbound messages
 * @param outbound         outbound messages accepted by Twilio
 * @param inboundSegments  segments of the inbound messages
 * @param outboundSegments segments of the outbound messages
 * @param aiCalls          reply-generator calls
 * @param promptTokens     input tokens of those calls
 * @param completionTokens output tokens of those calls
 */
public record UsageCounts(long inbound, long outbound, long inboundSegments, long outboundSegments, long aiCalls,
                          long promptTokens, long completionTokens) {

    public static final UsageCounts ZERO = new UsageCounts(0, 0, 0, 0, 0, 0, 0);

    /** The sum of this and {@code o}. */
    public UsageCounts plus(UsageCounts o) {
        return new UsageCounts(inbound + o.inbound, outbound + o.outbound, inboundSegments + o.inboundSegments,
                outboundSegments + o.outboundSegments, aiCalls + o.aiCalls, promptTokens + o.promptTokens,
                completionTokens + o.completionTokens);
    }
}
