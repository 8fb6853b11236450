package dev.frontdesk.sms;

import java.util.Objects;

/**
 * What to send through an {@link SmsGateway}.
 *
 * @param to             recipient
 * @param body           the text, 1 to 1,600 characters
 * @param from           the number to send from (E.164), or null for the gateway's default number or Messaging Service
 * @param statusCallback the URL Twilio posts delivery updates to, or null for none
 */
public record OutboundSms(PhoneNumber to, String body, String from, String statusCallback) {
    public OutboundSms {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
        if (body.isEmpty()) {
            throw new EmptyMessageException("Message is empty; write something to send.");
        }
    }
}
