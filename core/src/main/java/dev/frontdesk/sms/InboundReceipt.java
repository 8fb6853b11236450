package dev.frontdesk.sms;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link FrontDesk#receiveInbound} did with a webhook.
 *
 * @param result         what was stored
 * @param keyword        the carrier keyword the message was, if any
 * @param immediateReply text to answer in the webhook's TwiML (the configured HELP text), else empty
 */
public record InboundReceipt(InboundResult result, Keyword keyword, Optional<String> immediateReply) {
    public InboundReceipt {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(immediateReply, "immediateReply");
    }
}
