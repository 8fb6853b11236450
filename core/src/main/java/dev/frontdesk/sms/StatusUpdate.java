package dev.frontdesk.sms;

import java.util.Map;

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

    /**
     * Reads Twilio's status-callback form parameters ({@code SmsStatus} is accepted for {@code MessageStatus}).
     *
     * @throws InvalidRequestException if {@code MessageSid} or the status is missing or unknown, or a SID field
     *         ({@code MessageSid}, {@code SmsSid}, {@code SmsMessageSid}) is not a message SID or they disagree
     */
    public static StatusUpdate fromParameters(Map<String, String> params) {
        String sid = InboundSms.messageSid(params, "MessageSid", "SmsSid", "SmsMessageSid");
        String status = InboundSms.blankToNull(params.get("MessageStatus"));
        if (status == null) {
            status = InboundSms.blankToNull(params.get("SmsStatus"));
        }
        if (sid == null) {
            throw new InvalidRequestException("MessageSid is missing from the status callback.");
        }
        return new StatusUpdate(sid, MessageStatus.fromWire(status), params.get("ErrorCode"));
    }

    /** Whether Twilio reports the recipient opted out (error 21610). */
    public boolean recipientOptedOut() {
        return "21610".equals(errorCode);
    }
}
