package dev.frontdesk.sms;

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

    /** A message body as it may appear in a log line: at most 40 characters. */
    public static String body(String text) {
        return truncate(text, 40);
    }
}
