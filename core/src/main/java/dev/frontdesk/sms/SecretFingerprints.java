package dev.frontdesk.sms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed fingerprints of the host's secrets (the Twilio auth token and account SID, the OpenAI key, the staff key,
 * the database password), so that the output check refuses a reply quoting one (in any letter case) without
 * holding the secret itself: each is kept as its length and an HMAC-SHA256 under a random key made for this
 * object, never as text. Secrets shorter than six characters are not fingerprinted. Immutable and thread-safe.
 */
public final class SecretFingerprints {
    /** No secrets. */
    public static final SecretFingerprints NONE = new SecretFingerprints(new byte[32], List.of());
    private static final int MIN_LENGTH = 6;
    /** The variables whose values {@link #fromEnvironment} fingerprints. */
    public static final List<String> SECRET_VARIABLES = List.of("TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID", "OPENAI_API_KEY",
            "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "FRONTDESK_API_KEY", "DATABASE_PASSWORD");

    private record Print(int length, byte[] mac) {
    }

    private final byte[] key;
    private final List<Print> prints;
    private final int[] lengths;

    private SecretFingerprints(byte[] key, List<Print> prints) {
        this.key = key;
        this.prints = List.copyOf(prints);
        this.lengths = new TreeSet<>(prints.stream().map(Print::length).toList()).stream().mapToInt(Integer::intValue).toArray();
    }

    /** Fingerprints of {@code secrets}; null and short values are left out. */
    public static SecretFingerprints of(Collection<String> secrets) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        List<Print> prints = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.strip().length() >= MIN_LENGTH) {
                String lower = s.strip().toLowerCase(Locale.ROOT);
                prints.add(new Print(lower.length(), mac(key, lower)));
            }
        }
        return prints.isEmpty() ? NONE : new SecretFingerprints(key, prints);
    }

    /** Fingerprints of the values of {@link #SECRET_VARIABLES} in {@code env}. */
    public static SecretFingerprints fromEnvironment(Map<String, String> env) {
        List<String> values = new ArrayList<>();
        SECRET_VARIABLES.forEach(v -> values.add(env.get(v)));
        return of(values);
    }

    /** Whether {@code text} holds one of the secrets, in any letter case. */
    public boolean foundIn(String text) {
        if (prints.isEmpty() || text == null) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (int length : lengths) {
            for (int i = 0; i + length <= lower.length(); i++) {
                byte[] mac = mac(key, lower.substring(i, i + length));
                for (Print p : prints) {
                    if (p.length() == length && MessageDigest.isEqual(p.mac(), mac)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** How many secrets are fingerprinted. */
    public int size() {
        return prints.size();
    }

    private static byte[] mac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "SecretFingerprints{" + prints.size() + " secrets}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretFingerprints f && Arrays.equals(key, f.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }
}
