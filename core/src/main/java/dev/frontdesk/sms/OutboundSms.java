package dev.frontdesk.sms;

import java.util.Objects;

/**
 * What to send through an {@link SmsGateway}.
 *
 * @param to             recipient
 * @param body           the text, 1 to 1,600 characters
 * @param from           the number to send from (E.164), or null for the gateway's default number or Messaging Service
 * @param statusCallback the URL Twilio posts delivery updates to, or null for none
 * @param channel        where it goes: {@link Channel#SMS}, or {@link Channel#WHATSAPP} (Twilio gets {@code whatsapp:}
 *                       addresses for {@code to} and {@code from}; {@code from} may carry the prefix already)
 */
public record OutboundSms(PhoneNumber to, String body, String from, String statusCallback, Channel channel) {

    /** An SMS. */
    public OutboundSms(PhoneNumber to, String body, String from, String statusCallback) {
        this(to, body, from, statusCallback, Channel.SMS);
    }

    public OutboundSms {
        channel = channel == null ? Channel.SMS : channel;
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
        if (body.isEmpty()) {
            throw new EmptyMessageException("Message is empty; write something to send.");
        }
    }
}
