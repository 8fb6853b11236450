package dev.frontdesk.sms.internal;

import java.util.function.Function;
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

    /**
     * A run of digits in running text, joined by spaces, dots, dashes, slashes, underscores or brackets (any
     * number of them, ASCII or not); it starts at a {@code +} or at a digit that does not follow a letter,
     * digit or underscore, so digit runs inside words (SIDs, hex ids) are not runs.
     */
    private static final Pattern DIGIT_RUN = Pattern.compile(
            "(?:\\+|(?<![\\p{L}\\p{Nd}_+]))\\p{Nd}(?:[\\s\\p{Zs}()./_\\-\u2010-\u2015\u2212\uFF08\uFF09\uFF0E\uFF0F\uFF3F\uFF0D]*\\p{Nd})*");
    private static final int PHONE_MIN_DIGITS = 10;

    /**
     * Fewer than ten digits cannot hold a phone number: the common case, answered without the pattern. It
     * counts digits wherever they stand, so it holds whatever separates them.
     */
    private static boolean hasTenDigits(String text) {
        int digits = 0;
        for (int i = 0; i < text.length() && digits < PHONE_MIN_DIGITS; i++) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || (c > 127 && Character.isDigit(c))) {
                digits++;
            }
        }
        return digits >= PHONE_MIN_DIGITS;
    }

    /**
     * Masks every phone number in free text (an error message from Twilio, a model server or a driver, a
     * customer's text) the way {@link #maskPhone} does: each run of ten or more digits, whatever separates
     * them ({@code 555/123/4567}, {@code 555_123_4567}, full-width forms) and however many there are (a
     * number next to other digits is masked with them), keeps its first five and last four characters only.
     * Digit runs inside words (SIDs) and shorter numbers are kept.
     */
    public static String maskPhones(String text) {
        if (text == null || !hasTenDigits(text)) {
            return text;
        }
        Matcher m = DIGIT_RUN.matcher(text);
        return m.replaceAll(r -> {
            String run = r.group();
            StringBuilder digits = new StringBuilder(run.length());
            for (int i = 0; i < run.length(); i++) {
                char c = run.charAt(i);
                if (c == '+' && i == 0) {
                    digits.append(c);
                } else if (Character.isDigit(c)) {
                    digits.append((char) ('0' + Character.digit(c, 10)));
                }
            }
            int count = digits.charAt(0) == '+' ? digits.length() - 1 : digits.length();
            return Matcher.quoteReplacement(count >= PHONE_MIN_DIGITS ? maskPhone(digits.toString()) : run);
        });
    }

    /** An exception or provider message as it may appear in a log line or error answer: numbers masked, cut short. */
    public static String message(Object text, int max) {
        return truncate(maskPhones(String.valueOf(text)), max);
    }

    /** Values a database driver or Jdbi quotes in its messages: the bound arguments, key values, literals. */
    private static final Pattern DRIVER_VALUES = Pattern.compile(
            "arguments:\\{.*}|=\\([^)]*\\)|Failing row contains \\(.*?\\)(?=\\.?\\s|\\.?$)|'(?:[^']|'')*'|(?<=: )\"[^\"']*\"",
            Pattern.DOTALL);
    private static final int ERROR_MESSAGE_MAX = 300;

    /**
     * What an error says, safe to log or store: its class's simple name and its message with every value a
     * driver or parser quotes removed (Jdbi's bound {@code arguments:{...}}, PostgreSQL's
     * {@code Key (phone_number)=(...)} and {@code Failing row contains (...)}, H2's and Jackson's quoted
     * literals), phone numbers masked and cut to 300 characters.
     */
    public static String error(Throwable e) {
        return error(e, t -> "");
    }

    /**
     * {@link #error(Throwable)} with {@code detail} of the error written after its class name: a module that
     * knows its own exceptions (a store's driver errors and their codes) adds what is safe to say about them.
     * {@code detail} must return text holding no customer values, or "".
     */
    public static String error(Throwable e, Function<Throwable, String> detail) {
        if (e == null) {
            return "null";
        }
        if (e instanceof Redacted) {
            return e.getMessage();
        }
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName()).append(detail.apply(e));
        if (e.getMessage() != null) {
            b.append(": ").append(errorText(e.getMessage()));
        }
        return b.toString();
    }

    private static String errorText(String message) {
        String s = DRIVER_VALUES.matcher(message).replaceAll(r -> Matcher.quoteReplacement(redactedValue(r.group())));
        return truncate(maskPhones(s), ERROR_MESSAGE_MAX);
    }

    private static String redactedValue(String value) {
        if (value.startsWith("arguments:")) {
            return "arguments:{…}";
        }
        if (value.startsWith("=(")) {
            return "=(…)";
        }
        if (value.startsWith("Failing row")) {
            return "Failing row contains (…)";
        }
        return value.charAt(0) == '"' ? "\"…\"" : "'…'";
    }

    /**
     * An exception as it may be logged with its stack trace: the same frames and chain of causes (at most
     * 10 deep), each saying its class's full name and a message made safe as {@link #error} does. Its
     * {@code toString()} and {@code getMessage()} carry nothing of the original message but that. An
     * exception made safe already is kept as it is.
     */
    public static Throwable exception(Throwable e) {
        return exception(e, t -> "");
    }

    /** {@link #exception(Throwable)} with {@code detail} of each exception in the chain after its class name. */
    public static Throwable exception(Throwable e, Function<Throwable, String> detail) {
        return e == null ? null : redacted(e, detail, 0);
    }

    private static Throwable redacted(Throwable e, Function<Throwable, String> detail, int depth) {
        if (e instanceof Redacted) {
            return e;
        }
        Throwable cause = e.getCause() == null || e.getCause() == e || depth >= 10 ? null : redacted(e.getCause(), detail, depth + 1);
        String text = e.getClass().getName() + detail.apply(e)
                + (e.getMessage() == null ? "" : ": " + errorText(e.getMessage()));
        Redacted r = new Redacted(text, cause);
        r.setStackTrace(e.getStackTrace());
        return r;
    }

    /** A logged stand-in for an exception whose message may hold customer values. */
    private static final class Redacted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Redacted(String text, Throwable cause) {
            super(text, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /**
     * A URL as it may appear in a log line: its query string percent-decoded (so {@code %2B1555...} is seen
     * as a number) and its phone numbers masked, cut to 200 characters.
     */
    public static String url(String url) {
        if (url == null) {
            return "null";
        }
        int q = url.indexOf('?');
        if (q < 0) {
            return truncate(maskPhones(url), 200);
        }
        return truncate(maskPhones(url.substring(0, q)) + "?" + maskPhones(decodeLeniently(url.substring(q + 1))), 200);
    }

    /** Percent-escapes decoded as UTF-8 bytes where they are well formed, {@code +} as a space kept as {@code +}. */
    private static String decodeLeniently(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                byte[] bytes = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
