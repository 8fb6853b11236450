package dev.frontdesk.sms.internal;

import java.util.Objects;

/**
 * A reply ready to record and send.
 *
 * @param text             what to send
 * @param kind             {@code ai} or {@code fallback}
 * @param afterHoursNotice whether it tells the customer when a person follows up
 */
public record Reply(String text, String kind, boolean afterHoursNotice) {
    public Reply {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
    }
}
