package dev.frontdesk.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.frontdesk.sms.internal.LogSafe;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A phone number in E.164 form ({@code +} then 2 to 15 digits, no leading zero).
 *
 * <p>Instances exist only for E.164 text; {@link #parse(String)} turns what a person typed
 * ({@code (555) 123-4567}, {@code +1 555 123 4567}) into one through libphonenumber. Numbers that
 * libphonenumber calls <em>possible</em> are accepted, not only <em>valid</em> ones, because Twilio's
 * own examples use {@code +1555...} numbers that are dialable but never assigned.
 *
 * <p>{@link #toString()} is masked ({@code +1555***4567}) so that a number logged by accident does
 * not leak; {@link #value()} is the full E.164 text. Immutable and thread-safe.
 */
public record PhoneNumber(String value) {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /**
     * Recent successful parses, keyed by region and input: libphonenumber's parse and possibility check
     * were a sixth of the CPU of an inbound webhook (JFR), and the same customers text again and again.
     * Parsing is a pure function, so a cached answer is the same answer. Cleared when full, so it never
     * holds more than {@value #RECENT_MAX} entries.
     */
    private static final Map<String, PhoneNumber> RECENT = new ConcurrentHashMap<>();
    private static final int RECENT_MAX = 4096;
    /** The region assumed for numbers written without a country code. */
    public static final String DEFAULT_REGION = "US";

    public PhoneNumber {
        Objects.requireNonNull(value, "value");
        if (!E164.matcher(value).matches()) {
            throw new InvalidPhoneNumberException(
                    "Phone number must be in E.164 form, like +15551234567 (a plus sign, the country code, then the number).");
        }
    }

    /** Parses user input, assuming the US for numbers without a country code. */
    public static PhoneNumber parse(String input) {
        return parse(input, DEFAULT_REGION);
    }

    /**
     * Parses user input, assuming {@code defaultRegion} (ISO 3166 code such as {@code US} or {@code GB})
     * for numbers written without a country code.
     *
     * @throws InvalidPhoneNumberException if the text is not a possible phone number
     */
    public static PhoneNumber parse(String input, String defaultRegion) {
        if (input == null || input.isBlank()) {
            throw new InvalidPhoneNumberException("Phone number is missing; give one in E.164 form, like +15551234567.");
        }
        String region = defaultRegion == null ? DEFAULT_REGION : defaultRegion.toUpperCase(Locale.ROOT);
        String key = region + '|' + input;
        PhoneNumber recent = RECENT.get(key);
        if (recent != null) {
            return recent;
        }
        PhoneNumber number = parseUncached(input, region);
        if (RECENT.size() >= RECENT_MAX) {
            RECENT.clear();
        }
        RECENT.put(key, number);
        return number;
    }

    private static PhoneNumber parseUncached(String input, String region) {
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = UTIL.parse(input.strip(), region);
        } catch (NumberParseException e) {
            throw new InvalidPhoneNumberException(
                    "'" + LogSafe.truncate(input, 20) + "' is not a phone number; give one in E.164 form, like +15551234567.", e);
        }
        if (!UTIL.isPossibleNumber(parsed)) {
            throw new InvalidPhoneNumberException(
                    "'" + LogSafe.maskPhone(input) + "' has the wrong number of digits for its country; check it and use E.164 form, like +15551234567.");
        }
        return new PhoneNumber(UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    /** Whether {@code input} parses as a possible phone number (see {@link #parse(String, String)}). */
    public static boolean isPossible(String input, String defaultRegion) {
        try {
            parse(input, defaultRegion);
            return true;
        } catch (InvalidPhoneNumberException e) {
            return false;
        }
    }

    /** The number with its middle hidden, e.g. {@code +1555***4567}; safe for logs and the status endpoint. */
    public String masked() {
        return LogSafe.maskPhone(value);
    }

    @Override
    public String toString() {
        return masked();
    }
}
