package dev.frontdesk.sms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output check every generated reply passes before it is sent. The model reads untrusted customer
 * text, so its answer is treated as untrusted too: a reply that is too long, uses markdown, carries a
 * link, names a phone number other than the business's own, quotes the generator's instructions, holds
 * a secret, or carries an encoded blob is refused, and the caller sends the fallback reply instead.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplyGuard {

    private static final Pattern MARKDOWN = Pattern.compile(
            "(\\*\\*|__|`|^\\s{0,3}#{1,6}\\s|^\\s*[-*+]\\s|^\\s*\\d+\\.\\s|\\[[^\\]]*]\\([^)]*\\))", Pattern.MULTILINE);
    private static final Pattern LINK = Pattern.compile(
            "(?i)(\\b[a-z][a-z0-9+.-]*://|\\bwww\\.|\\b[a-z0-9-]+\\.(com|net|org|io|ly|co|us|info|biz|me|app|xyz|link|site|ru|cn|tk)\\b|\\bmailto:)");
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?\\d[\\d\\s().-]{5,}\\d");
    private static final Pattern ENCODED_BLOB = Pattern.compile("[A-Za-z0-9+/=_-]{32,}|(?:%[0-9A-Fa-f]{2}){4,}|(?:\\\\u[0-9A-Fa-f]{4}){3,}");
    private static final int QUOTE_WORDS = 6;
    private static final int MIN_SECRET_LENGTH = 6;

    private final int maxChars;
    private final String businessPhone;
    private final String region;
    private final List<String> instructionWindows;
    private final List<String> secrets;

    /**
     * @param maxChars      the longest reply allowed
     * @param businessPhone the business's own number (E.164), the only one a reply may name; null for none
     * @param region        region for numbers written without a country code
     * @param instructions  texts a reply must never quote (the generator's instructions); any run of six
     *                      words from them found in a reply refuses it
     * @param secrets       values that must never appear in a reply (keys, tokens)
     */
    public ReplyGuard(int maxChars, String businessPhone, String region, List<String> instructions, List<String> secrets) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive, was " + maxChars);
        }
        this.maxChars = maxChars;
        this.businessPhone = businessPhone;
        this.region = Objects.requireNonNull(region, "region");
        this.instructionWindows = windows(instructions);
        List<String> s = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
                s.add(secret.toLowerCase(Locale.ROOT));
            }
        }
        this.secrets = List.copyOf(s);
    }

    /** The guard for a configuration and a generator: its cap, the business number, its secrets and instructions. */
    public static ReplyGuard of(FrontDeskConfig config, ReplyGenerator generator) {
        List<String> secrets = new ArrayList<>();
        secrets.add(config.twilioAuthToken());
        secrets.add(config.openAiApiKey());
        secrets.add(config.apiKey());
        secrets.add(config.databasePassword());
        secrets.add(config.twilioAccountSid());
        return new ReplyGuard(config.replyMaxChars(),
                config.twilioPhoneNumber() == null ? null : config.twilioPhoneNumber().value(),
                config.defaultRegion(), List.of(generator.instructions()), secrets);
    }

    /**
     * Checks a reply.
     *
     * @return empty when the reply may be sent, else the reason it may not (for the log, never shown to customers)
     */
    public Optional<String> check(String reply) {
        if (reply == null || reply.isBlank()) {
            return Optional.of("empty reply");
        }
        if (reply.length() > maxChars) {
            return Optional.of("reply is " + reply.length() + " characters, more than " + maxChars);
        }
        if (MARKDOWN.matcher(reply).find()) {
            return Optional.of("reply uses markdown");
        }
        if (LINK.matcher(reply).find()) {
            return Optional.of("reply contains a link");
        }
        String raw = reply.toLowerCase(Locale.ROOT);
        for (String secret : secrets) {
            if (raw.contains(secret)) {
                return Optional.of("reply contains a secret");
            }
        }
        String lower = normalise(reply);
        for (String window : instructionWindows) {
            if (lower.contains(window)) {
                return Optional.of("reply quotes the instructions");
            }
        }
        if (ENCODED_BLOB.matcher(reply).find()) {
            return Optional.of("reply contains an encoded blob");
        }
        Matcher phones = PHONE_LIKE.matcher(reply);
        while (phones.find()) {
            String candidate = phones.group();
            long digits = candidate.chars().filter(Character::isDigit).count();
            if (digits < 7) {
                continue;
            }
            if (businessPhone == null || !isBusinessPhone(candidate)) {
                return Optional.of("reply names a phone number other than the business's own");
            }
        }
        return Optional.empty();
    }

    private boolean isBusinessPhone(String candidate) {
        try {
            return PhoneNumber.parse(candidate, region).value().equals(businessPhone);
        } catch (InvalidPhoneNumberException e) {
            return false;
        }
    }

    private static List<String> windows(List<String> texts) {
        List<String> out = new ArrayList<>();
        for (String text : texts) {
            if (text == null || text.isBlank()) {
                continue;
            }
            String[] words = normalise(text).split(" ");
            for (int i = 0; i + QUOTE_WORDS <= words.length; i++) {
                out.add(String.join(" ", java.util.Arrays.copyOfRange(words, i, i + QUOTE_WORDS)));
            }
        }
        return List.copyOf(out);
    }

    /** Lower case, punctuation dropped, whitespace collapsed: so a quote survives small edits. */
    private static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}+]+", " ").strip();
    }
}
