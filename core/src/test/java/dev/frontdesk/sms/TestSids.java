package dev.frontdesk.sms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Twilio-shaped message SIDs for tests ({@code SM} or {@code MM} and 32 hex digits), as webhooks must carry.
 * The same label always gives the same SID. Every SID made here starts {@code 7e57} after the prefix, so it never
 * collides with a counter-made one ({@code SM%032x}); a label of up to 28 hex digits (not starting with 0) stays
 * visible, zero-padded ({@code sms("1")} is {@code SM7e570000000000000000000000000001}); any other label is hashed.
 */
public final class TestSids {
    private static final Pattern HEX = Pattern.compile("[1-9a-f][0-9a-f]{0,27}");

    private TestSids() {
    }

    /** An SMS SID ({@code SM...}) for {@code label}. */
    public static String sms(String label) {
        return "SM" + hex(label);
    }

    /** An SMS SID for the number {@code n}. */
    public static String sms(long n) {
        return String.format("SM7e57%028x", n);
    }

    /** An MMS SID ({@code MM...}) for {@code label}. */
    public static String mms(String label) {
        return "MM" + hex(label);
    }

    private static String hex(String label) {
        if (HEX.matcher(label).matches()) {
            return "7e57" + "0".repeat(28 - label.length()) + label;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
            return "7e57" + HexFormat.of().formatHex(digest, 0, 14);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
