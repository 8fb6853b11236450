package dev.frontdesk.sms;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Twilio voice webhook: a call to the business's number ({@code POST /api/twilio/voice/inbound}) or the outcome of
 * forwarding it ({@code POST /api/twilio/voice/dial-status}, with {@code DialCallStatus}). Read from the form by
 * {@code TwilioWebhooks.inboundCall}.
 *
 * @param callSid        Twilio's {@code CallSid} ({@code CA} and 32 hex digits): one missed-call text per call
 * @param from           the caller's number, or null when the caller hid it ({@code anonymous}) or it is no phone number
 * @param to             the business number called ({@code To}), or null
 * @param dialCallStatus {@code DialCallStatus} in lower case ({@code completed}, {@code no-answer}, {@code busy},
 *                       {@code failed}, {@code canceled}), or null on the call's first webhook
 */
public record InboundCall(String callSid, PhoneNumber from, String to, String dialCallStatus) {

    /**
     * A Twilio call SID: {@code CA} and 32 hex digits, held to exactly this shape for the reason
     * {@link InboundSms#MESSAGE_SID} is.
     */
    public static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");

    public InboundCall {
        Objects.requireNonNull(callSid, "callSid");
        if (!CALL_SID.matcher(callSid).matches()) {
            throw new InvalidRequestException("CallSid is not a Twilio call SID (CA and 32 hex digits).");
        }
    }

    /** Whether the forwarded call was not answered: {@code no-answer}, {@code busy}, {@code failed} or {@code canceled}. */
    public boolean missed() {
        return dialCallStatus != null && switch (dialCallStatus) {
            case "no-answer", "busy", "failed", "canceled" -> true;
            default -> false;
        };
    }
}
