package dev.frontdesk.sms.internal;

/**
 * Counts the SMS segments a body takes, as carriers bill them.
 *
 * <p>A body made only of GSM-7 characters takes 160 per single segment or 153 per segment of a longer
 * message; characters of the GSM-7 extension table ({@code ^ { } [ ] ~ \ | €} and form feed) count
 * twice and are never split across segments. Any other character forces UCS-2: 70 UTF-16 units per
 * single segment, 67 per part, surrogate pairs (emoji) never split. Stateless and thread-safe.
 */
public final class SmsSegments {
    private static final String GSM_BASIC =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    private SmsSegments() {
    }

    /** Whether every character of {@code body} is in GSM-7 (basic or extension table). */
    public static boolean isGsm7(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (GSM_BASIC.indexOf(c) < 0 && GSM_EXTENSION.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The number of segments {@code body} takes; 0 for an empty body. */
    public static int count(String body) {
        if (body == null || body.isEmpty()) {
            return 0;
        }
        return isGsm7(body) ? countGsm(body) : countUcs2(body);
    }

    private static int countGsm(String body) {
        int units = 0;
        for (int i = 0; i < body.length(); i++) {
            units += GSM_EXTENSION.indexOf(body.charAt(i)) >= 0 ? 2 : 1;
        }
        if (units <= 160) {
            return 1;
        }
        int segments = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i++) {
            int cost = GSM_EXTENSION.indexOf(body.charAt(i)) >= 0 ? 2 : 1;
            if (used + cost > 153) {
                segments++;
                used = 0;
            }
            used += cost;
        }
        return segments;
    }

    private static int countUcs2(String body) {
        if (body.length() <= 70) {
            return 1;
        }
        int segments = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i++) {
            int cost = Character.isHighSurrogate(body.charAt(i)) && i + 1 < body.length() ? 2 : 1;
            if (used + cost > 67) {
                segments++;
                used = 0;
            }
            used += cost;
            i += cost - 1;
        }
        return segments;
    }
}
