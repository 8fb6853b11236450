package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.LogSafe;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A sender Twilio delivers that is not an SMS phone number: a short code ({@code 72975}), an alphanumeric
 * sender ID ({@code ACMEBANK}), or a channel address ({@code whatsapp:+15551234567}, {@code whatsapp:US.1234},
 * {@code messenger:...}). Texts from them are stored and acknowledged but never answered automatically: a
 * short code or a sender ID cannot receive a reply, and a channel address is not the SMS lead of its number.
 *
 * @param address     {@code From} as Twilio sent it (stripped), at most {@value #MAX_ADDRESS_CHARS} characters
 * @param kind        which of the three it is
 * @param channel     {@code sms} for short codes and sender IDs, else the address's prefix in lower case ({@code whatsapp})
 * @param phoneNumber the E.164 number a channel address carries ({@code whatsapp:+1555...}), or null
 */
public record OtherSender(String address, Kind kind, String channel, PhoneNumber phoneNumber) {

    /** The longest sender address kept. */
    public static final int MAX_ADDRESS_CHARS = 128;
    /** Twilio short codes: 3 to 8 digits (5 or 6 in the US and Canada). */
    private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,8}");
    /** Twilio alphanumeric sender IDs: up to 11 letters, digits and spaces, at least one letter. */
    private static final Pattern ALPHANUMERIC = Pattern.compile("(?=[A-Za-z0-9 ]*[A-Za-z])[A-Za-z0-9 ]{1,11}");
    /** A channel address: {@code channel:} and an identifier of printable characters. */
    private static final Pattern CHANNEL = Pattern.compile("([A-Za-z][A-Za-z0-9-]{0,31}):(\\p{Graph}{1,120})");

    /** The three kinds of non-phone senders. */
    public enum Kind {
        SHORT_CODE("short_code"), ALPHANUMERIC("alphanumeric"), CHANNEL("channel");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** {@code short_code}, {@code alphanumeric} or {@code channel}, as stored. */
        public String wireName() {
            return wireName;
        }

        /** The kind with this stored name. @throws IllegalArgumentException for any other */
        public static Kind fromWire(String name) {
            for (Kind k : values()) {
                if (k.wireName.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("Unknown sender kind '" + LogSafe.truncate(String.valueOf(name), 20) + "'.");
        }
    }

    public OtherSender {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channel, "channel");
        if (address.isEmpty() || address.length() > MAX_ADDRESS_CHARS) {
            throw new InvalidRequestException("A sender address has 1 to " + MAX_ADDRESS_CHARS + " characters.");
        }
    }

    /**
     * What {@code from} names when it is not an SMS phone number; empty when it is to be read as one
     * ({@code +} and digits, or a number written without its country code).
     */
    public static Optional<OtherSender> of(String from) {
        if (from == null) {
            return Optional.empty();
        }
        String s = from.strip();
        if (s.startsWith("+")) {
            return Optional.empty();
        }
        var channel = CHANNEL.matcher(s);
        if (channel.matches()) {
            String id = channel.group(2);
            PhoneNumber number = id.startsWith("+") && PhoneNumber.isPossible(id, null) ? PhoneNumber.parse(id, null) : null;
            return Optional.of(new OtherSender(s, Kind.CHANNEL, channel.group(1).toLowerCase(Locale.ROOT), number));
        }
        if (SHORT_CODE.matcher(s).matches()) {
            return Optional.of(new OtherSender(s, Kind.SHORT_CODE, "sms", null));
        }
        if (ALPHANUMERIC.matcher(s).matches()) {
            return Optional.of(new OtherSender(s, Kind.ALPHANUMERIC, "sms", null));
        }
        return Optional.empty();
    }

    /**
     * The address safe for logs: short codes and sender IDs name businesses and are shown whole; a channel
     * address keeps its prefix and hides the person ({@code whatsapp:+1555***4567}, {@code whatsapp:US***}).
     */
    public String masked() {
        if (kind != Kind.CHANNEL) {
            return address;
        }
        if (phoneNumber != null) {
            return channel + ":" + phoneNumber.masked();
        }
        String id = address.substring(address.indexOf(':') + 1);
        return channel + ":" + id.substring(0, Math.min(2, id.length())) + "***";
    }

    @Override
    public String toString() {
        return masked();
    }
}
