package dev.frontdesk.sms.twilio;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.InboundCall;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.InvalidPhoneNumberException;
import dev.frontdesk.sms.InvalidRequestException;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.MediaItem;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.OtherSenderMessage;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.StatusUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's webhook wire format: reads the form parameters of the messaging webhook, the status callback and the
 * voice webhooks into {@link InboundSms}, {@link OtherSenderMessage}, {@link StatusUpdate} and {@link InboundCall}. The parameters are those of a form
 * whose signature was checked already ({@link TwilioSignatures}); this class only reads and bounds them. Pure
 * functions, thread-safe.
 */
public final class TwilioWebhooks {
    private static final int MAX_URL_CHARS = 2048;
    private static final int MAX_CONTENT_TYPE_CHARS = 255;

    private TwilioWebhooks() {
    }

    /**
     * Reads an inbound SMS/MMS from a phone number, or a WhatsApp message from {@code whatsapp:} and a phone number
     * ({@link InboundSms#channel()} {@link Channel#WHATSAPP}). {@code MessageSid}, {@code SmsMessageSid} and {@code SmsSid}
     * must each have Twilio's shape and agree; up to {@link InboundSms#MAX_MEDIA} media items are read.
     *
     * @param defaultRegion region for a {@code From} written without a country code (Twilio always sends E.164)
     * @throws InvalidRequestException     if {@code From} or {@code MessageSid} is missing, a SID is malformed or the
     *                                     SIDs disagree, a number field is not a number, or {@code From} is an
     *                                     {@link #unansweredSender} (read that with {@link #otherSenderMessage})
     * @throws InvalidPhoneNumberException if {@code From} is not a phone number
     */
    public static InboundSms inboundSms(Map<String, String> params, String defaultRegion) {
        String sid = messageSid(params, "MessageSid", "SmsMessageSid", "SmsSid");
        if (sid == null) {
            throw new InvalidRequestException("MessageSid is missing from the webhook.");
        }
        String from = blankToNull(params.get("From"));
        if (from == null) {
            throw new InvalidRequestException("From is missing from the webhook.");
        }
        Optional<OtherSender> other = OtherSender.of(from);
        Channel channel = other.flatMap(Channel::answerable).orElse(Channel.SMS);
        if (other.isPresent() && channel == Channel.SMS) {
            throw new InvalidRequestException("From is not a phone number (a short code, a sender ID or a channel"
                    + " address without one, such as whatsapp:US.1234); read it with TwilioWebhooks.otherSenderMessage.");
        }
        PhoneNumber sender;
        if (other.isPresent()) {
            sender = other.get().phoneNumber(); // whatsapp:+1555...: the WhatsApp lead of that number
        } else {
            try {
                sender = PhoneNumber.parse(from, defaultRegion);
            } catch (InvalidPhoneNumberException e) {
                throw new InvalidPhoneNumberException(e.getMessage() + " From must be a phone number, a short code, an"
                        + " alphanumeric sender ID or a channel address such as whatsapp:+15551234567.", e);
            }
        }
        int numMedia = parseCount(params.get("NumMedia"), "NumMedia");
        List<MediaItem> media = new ArrayList<>();
        for (int i = 0; i < Math.min(numMedia, InboundSms.MAX_MEDIA); i++) {
            String url = blankToNull(params.get("MediaUrl" + i));
            if (url != null) {
                url = withoutNul(url);
                if (url.length() > MAX_URL_CHARS) {
                    throw new InvalidRequestException("MediaUrl" + i + " is longer than " + MAX_URL_CHARS + " characters.");
                }
                String type = blankToNull(params.get("MediaContentType" + i));
                if (type != null && (type.length() > MAX_CONTENT_TYPE_CHARS || type.indexOf('\0') >= 0)) {
                    type = null;
                }
                media.add(new MediaItem(url, type));
            }
        }
        String segments = blankToNull(params.get("NumSegments"));
        return new InboundSms(sid, blankToNull(params.get("AccountSid")), blankToNull(params.get("MessagingServiceSid")),
                sender, blankToNull(params.get("To")), params.getOrDefault("Body", ""),
                segments == null ? null : parseCount(segments, "NumSegments"), media,
                blankToNull(params.get("OptOutType")), params, channel);
    }

    /**
     * Whether {@code from} is a sender whose texts are stored and never answered ({@link #otherSenderMessage}):
     * a short code, an alphanumeric sender ID, or a channel address that is not a WhatsApp phone number. A
     * {@code whatsapp:+1555...} sender is read with {@link #inboundSms} as a WhatsApp lead.
     */
    public static Optional<OtherSender> unansweredSender(String from) {
        return OtherSender.of(from).filter(s -> Channel.answerable(s).isEmpty());
    }

    /**
     * Reads a text from {@code sender}, a short code, alphanumeric sender ID or channel address.
     *
     * @throws InvalidRequestException when {@code MessageSid} is missing or malformed, or a field is out of bounds
     */
    public static OtherSenderMessage otherSenderMessage(Map<String, String> params, OtherSender sender) {
        String sid = messageSid(params, "MessageSid", "SmsMessageSid", "SmsSid");
        if (sid == null) {
            throw new InvalidRequestException("MessageSid is missing from the webhook.");
        }
        return new OtherSenderMessage(null, sid, sender, blankToNull(params.get("To")),
                params.getOrDefault("Body", ""), parseCount(params.get("NumMedia"), "NumMedia"), null, null);
    }

    /**
     * Reads a voice webhook: a call to the business ({@code CallSid}, {@code From}, {@code To}) or the outcome of
     * forwarding it (also {@code DialCallStatus}). {@code CallSid} must have Twilio's shape; a {@code From} that is
     * no phone number ({@code anonymous}, a hidden or garbled caller ID) gives a call without a caller, which is
     * answered but never texted.
     *
     * @throws InvalidRequestException if {@code CallSid} is missing or malformed, or {@code DialCallStatus} is too long
     */
    public static InboundCall inboundCall(Map<String, String> params, String defaultRegion) {
        String sid = blankToNull(params.get("CallSid"));
        if (sid == null) {
            throw new InvalidRequestException("CallSid is missing from the voice webhook.");
        }
        if (!InboundCall.CALL_SID.matcher(sid).matches()) {
            throw new InvalidRequestException("CallSid is not a Twilio call SID (CA and 32 hex digits, like CA"
                    + "0123456789abcdef0123456789abcdef), was '" + LogSafe.truncate(sid, 40) + "'.");
        }
        String from = blankToNull(params.get("From"));
        PhoneNumber caller = null;
        if (from != null && OtherSender.of(from).isEmpty() && PhoneNumber.isPossible(from, defaultRegion)) {
            caller = PhoneNumber.parse(from, defaultRegion);
        }
        String to = blankToNull(params.get("To"));
        if (to != null && to.length() > 32) {
            to = null;
        }
        String status = blankToNull(params.get("DialCallStatus"));
        if (status != null && status.length() > 32) {
            throw new InvalidRequestException("DialCallStatus is not one of Twilio's call statuses.");
        }
        return new InboundCall(sid, caller, to, status == null ? null : status.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Reads a status callback ({@code SmsStatus} is accepted for {@code MessageStatus}).
     *
     * @throws InvalidRequestException if {@code MessageSid} or the status is missing or unknown, or a SID field
     *         ({@code MessageSid}, {@code SmsSid}, {@code SmsMessageSid}) is not a message SID or they disagree
     */
    public static StatusUpdate statusUpdate(Map<String, String> params) {
        String sid = messageSid(params, "MessageSid", "SmsSid", "SmsMessageSid");
        String status = blankToNull(params.get("MessageStatus"));
        if (status == null) {
            status = blankToNull(params.get("SmsStatus"));
        }
        if (sid == null) {
            throw new InvalidRequestException("MessageSid is missing from the status callback.");
        }
        return new StatusUpdate(sid, MessageStatus.fromWire(status), params.get("ErrorCode"));
    }

    /**
     * The message SID named by the first of {@code names} present, after checking that each one present has
     * Twilio's shape and that they all agree (Twilio sends the same SID under each name); null if none is there.
     * Twilio's signature joins names and values without separators, so only the shape tells a form re-cut into a
     * "new" SID apart from the real one.
     *
     * @throws InvalidRequestException naming the field that is malformed or disagrees
     */
    private static String messageSid(Map<String, String> params, String... names) {
        String sid = null;
        String first = null;
        for (String name : names) {
            String value = blankToNull(params.get(name));
            if (value == null) {
                continue;
            }
            if (!InboundSms.MESSAGE_SID.matcher(value).matches()) {
                throw new InvalidRequestException(name + " is not a Twilio message SID (SM or MM and 32 hex digits, like SM"
                        + "0123456789abcdef0123456789abcdef), was '" + LogSafe.truncate(value, 40) + "'.");
            }
            if (sid == null) {
                sid = value;
                first = name;
            } else if (!sid.equals(value)) {
                throw new InvalidRequestException(name + " and " + first + " name different messages; Twilio sends the same SID in both.");
            }
        }
        return sid;
    }

    private static int parseCount(String value, String name) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a whole number, was '" + LogSafe.truncate(value, 20) + "'.");
        }
    }

    private static String withoutNul(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
