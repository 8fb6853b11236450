package dev.frontdesk.sms;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helpers that make customer data safe to log: phone numbers masked, message bodies cut short.
 * Stateless and thread-safe.
 */
public final class LogSafe {
    private LogSafe() {
    }

    /**
     * Masks a phone number for logs: keeps the first five and last four characters
     * ({@code +15551234567} becomes {@code +1555***4567}); short or null input becomes {@code ***}.
     */
    public static String maskPhone(String number) {
        if (number == null) {
            return "null";
        }
        String s = number.strip();
        if (s.length() < 10) {
            return "***";
        }
        return s.substring(0, 5) + "***" + s.substring(s.length() - 4);
    }

    /** Cuts text to at most {@code max} characters (adding an ellipsis) and flattens line breaks. */
    public static String truncate(String text, int max) {
        if (text == null) {
            return "";
        }
        String flat = text.replace('\r', ' ').replace('\n', ' ');
        if (flat.length() <= max) {
            return flat;
        }
        int end = max;
        if (Character.isHighSurrogate(flat.charAt(end - 1))) {
            end--;
        }
        return flat.substring(0, end) + "…";
    }

    /** A message body as it may appear in a log line: phone numbers in it masked, at most 40 characters. */
    public static String body(String text) {
        return truncate(maskPhones(text), 40);
    }

    /** A phone number written in running text: 10 to 15 digits, maybe with +, spaces, dots, dashes or brackets. */
    private static final Pattern PHONE_IN_TEXT = Pattern.compile("(?<![\\w+])\\+?\\d[\\d ().-]{8,20}\\d(?![\\w])");

    /** Fewer than ten digits cannot hold a phone number: the common case, answered without the pattern. */
    private static boolean hasTenDigits(String text) {
        int digits = 0;
        for (int i = 0; i < text.length() && digits < 10; i++) {
            if (text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                digits++;
            }
        }
        return digits >= 10;
    }

    /**
     * Masks every phone number in free text (an error message from Twilio or a model server, a customer's
     * text) the way {@link #maskPhone} does; digit runs inside words (SIDs) and short numbers are kept.
     */
    public static String maskPhones(String text) {
        if (text == null || !hasTenDigits(text)) {
            return text;
        }
        Matcher m = PHONE_IN_TEXT.matcher(text);
        return m.replaceAll(r -> {
            String digits = r.group().replaceAll("[^0-9+]", "");
            long count = digits.chars().filter(Character::isDigit).count();
            return Matcher.quoteReplacement(count >= 10 && count <= 15 ? maskPhone(digits) : r.group());
        });
    }

    /** An exception or provider message as it may appear in a log line or error answer: numbers masked, cut short. */
    public static String message(Object text, int max) {
        return truncate(maskPhones(String.valueOf(text)), max);
    }
}
