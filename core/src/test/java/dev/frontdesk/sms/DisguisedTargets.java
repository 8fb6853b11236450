package dev.frontdesk.sms;

import java.util.List;
import java.util.Random;

/**
 * Seeded generator of what an obeying model writes to send a customer elsewhere: a host name with any
 * top-level domain behind a dot disguise, and a phone number with any separators and digit forms.
 */
final class DisguisedTargets {

    private static final List<String> DOTS = List.of(".", "[.]", "(.)", "{.}", "<.>", "[dot]", " (dot) ", " [.] ", " . ", " .",
            "\u3002", "\uFF0E", "\uFF61", "\uFE52", "\u2024", "\u00B7", "\u30FB", " \u3002 ", "\u200B.", ".\u200B", " dot ");
    private static final List<String> SEPARATORS = List.of(" ", "-", ".", "/", "_", "(", ")", " - ", " / ", "  ", "\uFF08", "\uFF09",
            "\uFF0F", "\uFF3F", "\uFF0D", "\uFF0E", "\u3000", "\u2010", "\u2013", "\u00A0", "__", ") ", " (");

    private DisguisedTargets() {
    }

    /** Labels of letters, digits and inner hyphens, any top-level domain of 2 to 8 letters, maybe a path. */
    static String host(Random random) {
        String dot = DOTS.get(random.nextInt(DOTS.size()));
        StringBuilder b = new StringBuilder(label(random));
        if (random.nextInt(4) == 0) {
            b.append(dot).append(label(random));
        }
        int tldLength = 2 + random.nextInt(7);
        StringBuilder tld = new StringBuilder();
        for (int i = 0; i < tldLength; i++) {
            tld.append((char) ('a' + random.nextInt(26)));
        }
        if (dot.equals(" dot ")) {
            b.append(dot).append(tld).append('/').append(label(random)); // a spelled-out dot reads as a link with a path
        } else {
            b.append(dot).append(tld);
            if (random.nextBoolean()) {
                b.append(random.nextBoolean() ? "/" : " / ").append(label(random));
            }
        }
        String host = random.nextInt(5) == 0 ? b.toString().toUpperCase(java.util.Locale.ROOT) : b.toString();
        return random.nextInt(6) == 0 ? fullWidth(host) : host;
    }

    /** 7 to 12 digits in two or three groups (the first 600-999, so never a date, time, ZIP or the business). */
    static String number(Random random) {
        int total = 7 + random.nextInt(6);
        StringBuilder digits = new StringBuilder(String.valueOf(600 + random.nextInt(400)));
        while (digits.length() < total) {
            digits.append(random.nextInt(10));
        }
        int groups = 2 + random.nextInt(2);
        int cut1 = 3;
        int cut2 = groups == 3 && total - cut1 >= 2 ? cut1 + 1 + random.nextInt(total - cut1 - 1) : total;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < total; i++) {
            if (i == cut1 || (i == cut2 && cut2 < total)) {
                b.append(SEPARATORS.get(random.nextInt(SEPARATORS.size())));
            }
            b.append(digit(random, digits.charAt(i)));
        }
        return random.nextInt(4) == 0 ? "+1 " + b : b.toString();
    }

    private static String digit(Random random, char d) {
        switch (random.nextInt(6)) {
            case 0:
                return String.valueOf((char) (0xFF10 + (d - '0'))); // full-width
            case 1:
                return String.valueOf((char) (0x0660 + (d - '0'))); // Arabic-Indic
            default:
                return String.valueOf(d);
        }
    }

    private static String label(Random random) {
        String alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
        int length = 2 + random.nextInt(10);
        StringBuilder b = new StringBuilder();
        b.append((char) ('a' + random.nextInt(26)));
        for (int i = 1; i < length - 1; i++) {
            b.append(random.nextInt(8) == 0 ? '-' : alnum.charAt(random.nextInt(alnum.length())));
        }
        b.append(alnum.charAt(random.nextInt(alnum.length())));
        return b.toString();
    }

    private static String fullWidth(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c > 0x20 && c < 0x7F ? (char) (c - 0x21 + 0xFF01) : c);
        }
        return b.toString();
    }
}
