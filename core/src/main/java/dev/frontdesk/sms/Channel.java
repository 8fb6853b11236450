package dev.frontdesk.sms;

import java.util.Locale;
import java.util.Optional;

/**
 * How a lead writes to the business and is answered: plain SMS, or WhatsApp through Twilio. A phone number may
 * be the lead of each channel once: {@code (channel, phoneNumber)} is unique. Twilio names a WhatsApp party
 * {@code whatsapp:+15551234567}; an SMS party is the bare E.164 number.
 */
public enum Channel {
    /** SMS and MMS to and from the number. */
    SMS("sms", ""),
    /** WhatsApp through Twilio ({@code whatsapp:} addresses); answered only within 24 hours of the customer's last message. */
    WHATSAPP("whatsapp", "whatsapp:");

    private final String wireName;
    private final String prefix;

    Channel(String wireName, String prefix) {
        this.wireName = wireName;
        this.prefix = prefix;
    }

    /** {@code sms} or {@code whatsapp}, as stored and in JSON. */
    public String wireName() {
        return wireName;
    }

    /** The channel with this stored name. @throws IllegalArgumentException for any other */
    public static Channel fromWire(String wire) {
        for (Channel c : values()) {
            if (c.wireName.equals(wire)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown channel '" + String.valueOf(wire).substring(0, Math.min(20, String.valueOf(wire).length())) + "'.");
    }

    /** The address Twilio uses for {@code number} on this channel: {@code +1555...} or {@code whatsapp:+1555...}. */
    public String address(String number) {
        return number == null ? null : prefix + number;
    }

    /** {@link #address(String)} of the number. */
    public String address(PhoneNumber number) {
        return address(number.value());
    }

    /**
     * The number of an address of this channel without its prefix ({@code whatsapp:+1555...} gives {@code +1555...});
     * an address without the prefix is returned as it is, null as null.
     */
    public String number(String address) {
        if (address == null || prefix.isEmpty()) {
            return address;
        }
        return address.regionMatches(true, 0, prefix, 0, prefix.length()) ? address.substring(prefix.length()) : address;
    }

    /** The channel an address belongs to: WhatsApp for {@code whatsapp:...}, else SMS. */
    public static Channel ofAddress(String address) {
        return address != null && address.toLowerCase(Locale.ROOT).startsWith(WHATSAPP.prefix) ? WHATSAPP : SMS;
    }

    /**
     * The channel whose leads a non-phone sender's texts belong to: WhatsApp for {@code whatsapp:} and an E.164
     * number; empty for every other sender (short codes, sender IDs, {@code whatsapp:US.1234}-style addresses without
     * a number, other channels), whose texts are stored and never answered.
     */
    public static Optional<Channel> answerable(OtherSender sender) {
        return sender.kind() == OtherSender.Kind.CHANNEL && WHATSAPP.wireName.equals(sender.channel())
                && sender.phoneNumber() != null ? Optional.of(WHATSAPP) : Optional.empty();
    }
}
