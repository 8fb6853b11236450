package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.InvalidPhoneNumberException;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SecretFingerprints;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output check every generated reply passes before it is sent. The model reads untrusted customer
 * text, so its answer is treated as untrusted too: a reply that is too long, uses markdown, carries a
 * link, names a phone number other than the business's own, quotes the generator's instructions, holds
 * a secret, or carries an encoded blob is refused, and the caller sends the fallback reply instead.
 *
 * <p>The reply is normalised before it is checked, so that look-alike writing cannot hide a link or a
 * number: Unicode compatibility forms are folded (NFKC: full-width {@code ５５５} and {@code ｐａｙｐａｌ}
 * become ASCII), invisible format characters are dropped, digits of every script become ASCII digits,
 * dashes and spaces of every kind become {@code -} and a space; dot look-alikes between letters or digits
 * ({@code 。 ． ｡ · ・ ․} and similar), bracketed dots ({@code [.] (.) {.} <.> [dot] (dot)}), a dot with a
 * space before it ({@code paypal . com}), and a dot or a spelled-out {@code dot} followed by a common
 * top-level domain or by a path ({@code paypal. com}, {@code paypal dot com/joe}) all count as dots. Only
 * the check sees the normalised text; a reply that passes goes out exactly as written.
 *
 * <p>The rules on the normalised text:
 * <ul>
 *   <li>a link is a URL scheme ({@code x://}), {@code www.}, {@code mailto:}, an IPv4 address, or any host
 *       name: labels of letters, digits and hyphens joined by dots and ending in a top-level domain of two
 *       or more letters (any such domain, {@code .de}, {@code .shop} and internationalised ones included,
 *       not a list of known ones);</li>
 *   <li>a phone number is any run of seven or more digits joined by spaces, {@code - . / _ ( )} or a comma
 *       between digits; allowed are the business's own numbers, and runs made only of dates
 *       ({@code 12/03/2026}, {@code 2026-03-12}), times and hour ranges ({@code 8.30-12.30}, {@code 8-12 13-17})
 *       a ZIP+4 code ({@code 62704-1234}) and an amount after a currency sign ({@code $12,500.00}); so times
 *       like {@code 8:30}, prices like {@code $120.50}, {@code Mon-Fri} and five-digit ZIP codes pass;</li>
 *   <li>a quote is any run of six words of an instruction text (case, punctuation and spacing ignored);
 *       windows never span two texts, so a generator passes the parts of its instructions between the
 *       facts it wants shared (the business profile, its name and number) as separate texts.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplyGuard {

    private static final Pattern MARKDOWN = Pattern.compile(
            "(\\*\\*|__|`|^\\s{0,3}#{1,6}\\s|^\\s*[-*+]\\s|^\\s*\\d+\\.\\s|\\[[^\\]]*]\\([^)]*\\))", Pattern.MULTILINE);
    private static final Pattern SCHEME_OR_WWW = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://|\\bwww\\.|\\bmailto:)");
    /** Labels of letters, marks, digits and hyphens, each ending in a dot, then a top-level domain of 2+ letters. */
    private static final Pattern HOST = Pattern.compile(
            "(?:[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}-]*\\.)+(?:\\p{L}[\\p{L}\\p{M}]+|xn--[a-z0-9-]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern IPV4 = Pattern.compile("(?<!\\d)\\d{1,3}(?:\\.\\d{1,3}){3}(?!\\d)");
    /** Digits with separators between them; a comma counts only when a digit follows at once (555,987,6543). */
    private static final Pattern DIGIT_RUN = Pattern.compile("\\+?\\d(?:(?:[\\s\\-./_()]|,(?=\\d))*\\d)*");
    private static final String DAY = "(?:0?[1-9]|[12]\\d|3[01])";
    private static final String YEAR = "(?:19|20)\\d\\d";
    private static final String DATE = DAY + "/" + DAY + "(?:/" + YEAR + ")?|" + DAY + "-" + DAY + "(?:-" + YEAR + ")?|"
            + DAY + "\\." + DAY + "(?:\\." + YEAR + ")?|" + YEAR + "-" + DAY + "-" + DAY + "|" + YEAR + "/" + DAY + "/" + DAY;
    private static final String TIME = "(?:[01]?\\d|2[0-4])(?:\\.[0-5]\\d)?";
    private static final String ITEM = "(?:" + DATE + "|(?:[01]?\\d|2[0-4])\\.[0-5]\\d|" + TIME + "\\s*-\\s*" + TIME
            + "|\\d{5}-\\d{4})";
    /** One or two dates, times, hour ranges or ZIP+4 codes: digits an ordinary reply carries. */
    private static final Pattern ORDINARY_DIGITS = Pattern.compile(ITEM + "(?:(?:\\s*[-/,]\\s*|\\s+)" + ITEM + ")?");
    /** An amount after a currency sign: {@code $12,500.00}. */
    private static final Pattern PRICE = Pattern.compile("\\d{1,3}(?:,\\d{3})+(?:\\.\\d{1,2})?|\\d+\\.\\d{1,2}");
    private static final Pattern CURRENCY_BEFORE = Pattern.compile("[$\u20AC\u00A3\u00A5\u20B9]\\s?$");
    private static final Pattern ENCODED_BLOB = Pattern.compile("[A-Za-z0-9+/=_-]{32,}|(?:%[0-9A-Fa-f]{2}){4,}|(?:\\\\u[0-9A-Fa-f]{4}){3,}");

    /** Full stops of other scripts and sizes: dots also with spaces around them. */
    private static final String FULL_STOP_LOOKALIKES = "\u3002\uFF0E\uFF61\uFE52\u2024\u06D4\u0589\u0701\u0702\u2E3C\uA60E";
    /** Raised and middle dots: dots only between two letters or digits, since " · " also separates words. */
    private static final String MIDDLE_DOT_LOOKALIKES = "\u00B7\u0387\u2027\u2219\u22C5\u30FB\uFF65\u02D9\uA78F\u1427\u16EB\u2E31\u2E33";
    private static final Pattern BRACKETED_DOT = Pattern.compile(
            "\\s*[\\[({<]\\s*(?:\\.|dot|period|punkt|point)\\s*[\\])}>]\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern SPACE_BEFORE_DOT = Pattern.compile("(?<=[\\p{L}\\p{N}])\\s+\\.\\s*(?=[\\p{L}\\p{N}])");
    /** Top-level domains that are no word of a sentence, where "e.g. in" or "Sra. de" must stay prose. */
    private static final String COMMON_TLD = "(?:com|net|org|info|biz|io|xyz|ru|cn)\\b(?!['\u2019-])";
    /** "paypal. com": a full stop, a space, then a lower-case common top-level domain. */
    private static final Pattern DOT_SPACE_TLD = Pattern.compile("(?<=[\\p{L}\\p{N}])\\.\\s+(?=" + COMMON_TLD + ")");
    /** "paypal dot com", "paypal (dot) com" without brackets, "joes dot plumbing/book": a spelled-out dot. */
    private static final Pattern SPELLED_DOT = Pattern.compile(
            "(?<=[\\p{L}\\p{N}])\\s+(?i:dot)\\s+(?=(?i:" + COMMON_TLD + ")|[\\p{L}\\p{N}-]+\\s*/)");
    private static final Pattern DASHES = Pattern.compile("[\\p{Pd}\u2212\u2043]");
    private static final Pattern SPACES = Pattern.compile("[\\p{Z}\\t\\x0B\\f]");
    private static final Pattern SLASHES = Pattern.compile("[\u2044\u2215\u29F8\u29F5\u2571]");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}+]+");
    private static final Pattern FORMAT_CHARS = Pattern.compile("\\p{Cf}");
    private static final int QUOTE_WORDS = 6;
    private static final int MIN_SECRET_LENGTH = 6;
    private static final int PHONE_DIGITS = 7;

    private final int maxChars;
    private final Set<String> businessPhones;
    private final String region;
    private final Set<String> instructionWindows;
    private final List<String> secrets;
    private final SecretFingerprints fingerprints;

    /**
     * @param maxChars      the longest reply allowed
     * @param businessPhone the business's own number (E.164), the only one a reply may name; null for none
     * @param region        region for numbers written without a country code
     * @param instructions  texts a reply must never quote (the generator's instructions); any run of six
     *                      words from one of them found in a reply refuses it
     * @param secrets       values that must never appear in a reply (keys, tokens)
     */
    public ReplyGuard(int maxChars, String businessPhone, String region, List<String> instructions, List<String> secrets) {
        this(maxChars, businessPhone == null ? List.of() : List.of(businessPhone), region, instructions, secrets);
    }

    /**
     * @param maxChars       the longest reply allowed
     * @param businessPhones the business's own numbers (E.164), the only ones a reply may name; empty for none
     * @param region         region for numbers written without a country code
     * @param instructions   texts a reply must never quote (the generator's instructions); any run of six
     *                       words from one of them found in a reply refuses it
     * @param secrets        values that must never appear in a reply (keys, tokens)
     */
    public ReplyGuard(int maxChars, Collection<String> businessPhones, String region, List<String> instructions,
            List<String> secrets) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive, was " + maxChars);
        }
        this.maxChars = maxChars;
        Set<String> phones = new LinkedHashSet<>();
        for (String phone : businessPhones) {
            if (phone != null) {
                phones.add(phone);
            }
        }
        this.businessPhones = Set.copyOf(phones);
        this.region = Objects.requireNonNull(region, "region");
        this.instructionWindows = windows(instructions);
        List<String> s = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
                s.add(secret.toLowerCase(Locale.ROOT));
            }
        }
        this.secrets = List.copyOf(s);
        this.fingerprints = SecretFingerprints.NONE;
    }

    private ReplyGuard(ReplyGuard base, SecretFingerprints fingerprints) {
        this.maxChars = base.maxChars;
        this.businessPhones = base.businessPhones;
        this.region = base.region;
        this.instructionWindows = base.instructionWindows;
        this.secrets = base.secrets;
        this.fingerprints = Objects.requireNonNull(fingerprints, "fingerprints");
    }

    /** This guard, also refusing any reply that holds one of the secrets {@code fingerprints} stand for. */
    public ReplyGuard withFingerprints(SecretFingerprints fingerprints) {
        return new ReplyGuard(this, fingerprints);
    }

    /**
     * The guard for a configuration and a generator: its cap, the business's numbers
     * ({@code TWILIO_PHONE_NUMBER} and those of {@code BUSINESS_PROFILES}) and the generator's fixed
     * instructions. The configuration holds no secret, so this guard knows none: a generator that holds one
     * (its API key) checks its own answers for it.
     */
    public static ReplyGuard of(FrontDeskConfig config, ReplyGenerator generator) {
        List<String> phones = new ArrayList<>();
        if (config.twilio().phoneNumber() != null) {
            phones.add(config.twilio().phoneNumber().value());
        }
        phones.addAll(config.business().profiles().keySet());
        return new ReplyGuard(new ReplyGuard(config.replies().maxChars(), phones, config.business().defaultRegion(),
                List.of(generator.instructions()), List.of()), config.secretFingerprints());
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
        String text = normalise(reply);
        if (MARKDOWN.matcher(reply).find() || (!text.equals(reply) && MARKDOWN.matcher(text).find())) {
            return Optional.of("reply uses markdown");
        }
        boolean dots = text.indexOf('.') >= 0;
        if (SCHEME_OR_WWW.matcher(text).find() || (dots && (HOST.matcher(text).find() || IPV4.matcher(text).find()))) {
            return Optional.of("reply contains a link");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String rawLower = reply.toLowerCase(Locale.ROOT);
        for (String secret : secrets) {
            if (rawLower.contains(secret) || lower.contains(secret)) {
                return Optional.of("reply contains a secret");
            }
        }
        if (fingerprints.foundIn(reply) || fingerprints.foundIn(text)) {
            return Optional.of("reply contains a secret");
        }
        if (!instructionWindows.isEmpty()) {
            String[] words = words(text).split(" ");
            for (int i = 0; i + QUOTE_WORDS <= words.length; i++) {
                if (instructionWindows.contains(String.join(" ", Arrays.copyOfRange(words, i, i + QUOTE_WORDS)))) {
                    return Optional.of("reply quotes the instructions");
                }
            }
        }
        if (ENCODED_BLOB.matcher(text).find()) {
            return Optional.of("reply contains an encoded blob");
        }
        Matcher runs = DIGIT_RUN.matcher(text);
        boolean enoughDigits = digits(text) >= PHONE_DIGITS; // fewer digits in all cannot make a phone number
        while (enoughDigits && runs.find()) {
            String run = runs.group();
            if (digits(run) < PHONE_DIGITS || ORDINARY_DIGITS.matcher(run).matches() || isPrice(text, runs.start(), run)
                    || isBusinessPhone(run)) {
                continue;
            }
            return Optional.of("reply names a phone number other than the business's own");
        }
        return Optional.empty();
    }

    private static boolean isPrice(String text, int start, String run) {
        return PRICE.matcher(run).matches()
                && CURRENCY_BEFORE.matcher(text.substring(Math.max(0, start - 2), start)).find();
    }

    private boolean isBusinessPhone(String run) {
        if (businessPhones.isEmpty()) {
            return false;
        }
        String plain = run.replaceAll("[^0-9+]", "");
        try {
            return businessPhones.contains(PhoneNumber.parse(plain, region).value());
        } catch (InvalidPhoneNumberException e) {
            return false;
        }
    }

    private static int digits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                n++;
            }
        }
        return n;
    }

    /**
     * The reply as the check reads it: compatibility forms folded, invisible characters dropped, digits,
     * dashes, spaces and slashes of every kind made ASCII, and every way of writing a dot between two
     * parts of a name made a dot.
     */
    static String normalise(String reply) {
        if (ascii(reply)) {
            // ASCII is its own NFKC form and has no look-alikes, invisible characters or other digits
            String s = SPACES.matcher(reply).replaceAll(" ");
            s = BRACKETED_DOT.matcher(s).replaceAll(".");
            s = SPACE_BEFORE_DOT.matcher(s).replaceAll(".");
            s = DOT_SPACE_TLD.matcher(s).replaceAll(".");
            return SPELLED_DOT.matcher(s).replaceAll(".");
        }
        String s = Normalizer.normalize(reply, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) == Character.FORMAT) {
                continue; // zero-width spaces and joiners, soft hyphens, direction marks
            }
            if (cp > 127 && Character.isDigit(cp)) {
                b.append((char) ('0' + Character.digit(cp, 10)));
            } else {
                b.appendCodePoint(cp);
            }
        }
        s = b.toString();
        s = DASHES.matcher(s).replaceAll("-");
        s = SPACES.matcher(s).replaceAll(" ");
        s = SLASHES.matcher(s).replaceAll("/");
        s = lookalikeDots(s);
        s = BRACKETED_DOT.matcher(s).replaceAll(".");
        s = SPACE_BEFORE_DOT.matcher(s).replaceAll(".");
        s = DOT_SPACE_TLD.matcher(s).replaceAll(".");
        s = SPELLED_DOT.matcher(s).replaceAll(".");
        return s;
    }

    /**
     * Dot look-alikes become dots when the letters or digits on both sides are ASCII (for full-stop
     * look-alikes, spaces skipped): a host name an attacker wants typed, while a Chinese or Japanese
     * sentence's full stop, a " · " between words or a Catalan {@code l·l} stays what it is.
     */
    private static String lookalikeDots(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean fullStop = FULL_STOP_LOOKALIKES.indexOf(c) >= 0;
            if (!fullStop && MIDDLE_DOT_LOOKALIKES.indexOf(c) < 0) {
                continue;
            }
            int before = i - 1;
            while (fullStop && before >= 0 && s.charAt(before) == ' ') {
                before--;
            }
            int after = i + 1;
            while (fullStop && after < s.length() && s.charAt(after) == ' ') {
                after++;
            }
            if (before < 0 || after >= s.length() || !asciiAlnum(s.charAt(before)) || !asciiAlnum(s.charAt(after))) {
                continue;
            }
            if (c == '\u00B7' && (s.charAt(before) == 'l' || s.charAt(before) == 'L')
                    && (s.charAt(after) == 'l' || s.charAt(after) == 'L')) {
                continue; // Catalan "col·legi"
            }
            if (b == null) {
                b = new StringBuilder(s);
            }
            b.setCharAt(i, '.');
        }
        return b == null ? s : b.toString();
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    private static boolean asciiAlnum(char c) {
        return c < 128 && Character.isLetterOrDigit(c);
    }

    /** Every run of six words of each text; a text's own words only, so no window spans two texts. */
    private static Set<String> windows(List<String> texts) {
        Set<String> out = new java.util.HashSet<>();
        for (String text : texts) {
            if (text == null || text.isBlank()) {
                continue;
            }
            String[] words = words(Normalizer.normalize(text, Normalizer.Form.NFKC)).split(" ");
            for (int i = 0; i + QUOTE_WORDS <= words.length; i++) {
                out.add(String.join(" ", Arrays.copyOfRange(words, i, i + QUOTE_WORDS)));
            }
        }
        return Set.copyOf(out);
    }

    /** Lower case, punctuation and invisible characters dropped, whitespace collapsed: so a quote survives small edits. */
    private static String words(String text) {
        return NOT_WORD.matcher(FORMAT_CHARS.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("")).replaceAll(" ").strip();
    }
}
