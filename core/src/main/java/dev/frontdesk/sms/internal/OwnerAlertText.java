package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.OwnerAlert;
import dev.frontdesk.sms.PhoneNumber;

/**
 * The text of an owner alert: {@code FrontDesk: emergency from +15551234567 (Sam): "water everywhere" <link>} (or
 * {@code person requested by}, {@code qualified lead}), one SMS
 * segment where the parts allow. The customer's parts are only their name and their own text, and neither can pass for
 * the front desk's words: every control, format and separator character (newlines, bidi overrides, zero-width
 * characters) becomes a space and runs of spaces collapse, so no text starts a line of its own; the quote's quotation
 * marks and backslashes are escaped, so it cannot close its own quotes; the name keeps only letters, digits, spaces
 * and {@code . ' -}; both are cut short with "...". Stateless and thread-safe.
 */
public final class OwnerAlertText {

    /** The longest quote, in characters (before escaping). */
    static final int QUOTE_MAX = 60;
    /** The shortest the quote is cut to so the alert fits one segment. */
    static final int QUOTE_MIN = 20;
    /** The longest name, in characters. */
    static final int NAME_MAX = 24;

    private OwnerAlertText() {
    }

    /**
     * The alert's text.
     *
     * @param customer the lead's number (the owner calls it back)
     * @param name     the lead's name as the AI or staff wrote it, or null
     * @param quoted   the customer's text it quotes, or null for none
     * @param link     where staff open the lead, or null for none (front desk's own, not the customer's)
     */
    public static String compose(OwnerAlert.Reason reason, PhoneNumber customer, String name, String quoted, String link) {
        String head = "FrontDesk: " + label(reason) + " " + customer.value();
        String cleanName = name(name);
        if (!cleanName.isEmpty()) {
            head += " (" + cleanName + ")";
        }
        String tail = link == null || link.isBlank() ? "" : " " + link.strip();
        String body = quoted == null ? "" : flatten(quoted);
        if (body.isEmpty()) {
            return head + tail;
        }
        String text = null;
        for (int max = QUOTE_MAX; max >= QUOTE_MIN; max -= 5) {
            text = head + ": \"" + escape(cut(body, max)) + "\"" + tail;
            if (SmsSegments.count(text) == 1) {
                break;
            }
        }
        return text;
    }

    private static String label(OwnerAlert.Reason reason) {
        switch (reason) {
            case EMERGENCY: return "emergency from";
            case HANDOFF: return "person requested by";
            case QUALIFIED: return "qualified lead";
            default: throw new IllegalArgumentException(String.valueOf(reason));
        }
    }

    /** Controls, format characters, separators and other whitespace as single spaces, stripped. */
    static String flatten(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 4 * QUOTE_MAX));
        boolean space = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            boolean blank = Character.isWhitespace(cp) || Character.isSpaceChar(cp) || type == Character.CONTROL
                    || type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.UNASSIGNED || type == Character.SURROGATE || type == Character.PRIVATE_USE;
            if (blank) {
                space = sb.length() > 0;
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.appendCodePoint(cp);
            }
            if (sb.length() > 8 * QUOTE_MAX) {
                break; // long enough to cut; the rest is never shown
            }
        }
        return sb.toString();
    }

    /** At most {@code max} code points; a longer text cut and ended with "..." within the limit. */
    static String cut(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max - 3)).stripTrailing() + "...";
    }

    /** Quotation marks (straight and curly) and backslashes escaped, so the quote cannot end early. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\': sb.append("\\\\"); break;
                case '"': case '\u201C': case '\u201D': case '\u201E': case '\u201F': case '\u2033': case '\uFF02':
                    sb.append("\\\""); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Letters, digits, spaces and {@code . ' -} of the name, flattened and cut; empty when nothing is left. */
    static String name(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        String flat = flatten(name);
        for (int i = 0; i < flat.length(); ) {
            int cp = flat.codePointAt(i);
            i += Character.charCount(cp);
            boolean kept = Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                    || cp == '.' || cp == '\'' || cp == '-';
            sb.appendCodePoint(kept ? cp : ' ');
        }
        return cut(flatten(sb.toString()), NAME_MAX);
    }
}
