package dev.frontdesk.sms;

/**
 * Sends SMS. Implementations: {@code dev.frontdesk.sms.twilio.TwilioSmsGateway} for Twilio, and
 * whatever a host or test supplies. Implementations must be thread-safe.
 */
public interface SmsGateway {

    /**
     * Sends one message and returns once the provider has accepted it (not delivered it).
     *
     * @throws SmsSendException when the provider refused the message or could not be reached; its
     *                          {@link SmsSendException#outcomeUnknown()} says whether it may have been sent anyway
     */
    SendResult send(OutboundSms sms);

    /**
     * Whether {@code number} may receive messages while the account is in test mode (Twilio trial or
     * sandbox: only verified numbers). Called only in test mode, before any send.
     */
    boolean isVerified(PhoneNumber number);
}
