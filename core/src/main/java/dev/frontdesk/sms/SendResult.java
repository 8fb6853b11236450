package dev.frontdesk.sms;

import java.util.Objects;

/**
 * What the gateway learned when the provider accepted a message.
 *
 * @param sid         the provider's message id ({@code SM...})
 * @param status      the status it reported (usually {@code queued} or {@code accepted})
 * @param numSegments segments it counted, or null when it did not say
 * @param from        the number it sends from, or null when not known yet
 */
public record SendResult(String sid, MessageStatus status, Integer numSegments, String from) {
    public SendResult {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(status, "status");
    }
}
