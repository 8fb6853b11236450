package dev.frontdesk.sms;

/**
 * A delivery-status callback from Twilio.
 *
 * @param messageSid {@code MessageSid} of the message it is about
 * @param status     {@code MessageStatus}
 * @param errorCode  {@code ErrorCode} (e.g. {@code 30003}, {@code 21610}), or null
 */
public record StatusUpdate(String messageSid, MessageStatus status, String errorCode) {

    public StatusUpdate {
        if (messageSid == null || messageSid.isBlank()) {
            throw new InvalidRequestException("MessageSid is missing from the status callback.");
        }
        InboundSms.requireMessageSid("MessageSid", messageSid);
        if (status == null) {
            throw new InvalidRequestException("MessageStatus is missing from the status callback.");
        }
        errorCode = InboundSms.blankToNull(errorCode);
        if (errorCode != null && !InboundSms.SID.matcher(errorCode).matches()) {
            throw new InvalidRequestException("ErrorCode is not a Twilio error code (letters and digits, at most 64).");
        }
    }

    /** Whether Twilio reports the recipient opted out (error 21610). */
    public boolean recipientOptedOut() {
        return "21610".equals(errorCode);
    }
}
