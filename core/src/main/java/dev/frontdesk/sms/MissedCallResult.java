package dev.frontdesk.sms;

import java.util.Objects;

/**
 * What {@link LeadRepository#recordMissedCall} did.
 *
 * @param lead       the caller's SMS lead, found or created (source {@code call})
 * @param replyJobId the missed-call text's job, or null when none was enqueued: the call was recorded already (a
 *                   repeated callback) or the lead opted out
 * @param duplicate  whether the call was recorded already
 */
public record MissedCallResult(Lead lead, Long replyJobId, boolean duplicate) {
    public MissedCallResult {
        Objects.requireNonNull(lead, "lead");
    }
}
