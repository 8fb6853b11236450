package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.ReplyRefusedException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes model output fit for an SMS: markdown removed, whitespace tidied, length capped at a sentence
 * boundary. Pure functions; thread-safe.
 */
public final class SmsReplyText {

    private static final Pattern CODE_FENCE = Pattern.compile("(?m)^\\s*```[^\\n]*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)]\\(([^)\\s]+)[^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\(([^)\\s]+)[^)]*\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^\\s{0,3}#{1,6}\\s+");
    private static final Pattern BLOCKQUOTE = Pattern.compile("(?m)^\\s{0,3}>\\s?");
    private static final Pattern RULE = Pattern.compile("(?m)^\\s{0,3}([-*_])(\\s*\\1){2,}\\s*$");
    private static final Pattern BULLET = Pattern.compile("(?m)^\\s*[*+•-]\\s+");
    private static final Pattern BOLD = Pattern.compile("(\\*\\*|__)(?=\\S)(.+?)(?<=\\S)\\1");
    private static final Pattern ITALIC_STAR = Pattern.compile("(?<![*\\w])\\*(?=\\S)([^*\\n]+?)(?<=\\S)\\*(?![*\\w])");
    private static final Pattern ITALIC_UNDERSCORE = Pattern.compile("(?<![_\\w])_(?=\\S)([^_\\n]+?)(?<=\\S)_(?![_\\w])");
    private static final Pattern STRIKE = Pattern.compile("~~(?=\\S)(.+?)(?<=\\S)~~");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f]+");
    private static final Pattern SPACE_BEFORE_NEWLINE = Pattern.compile(" *\\n *");
    private static final Pattern MANY_NEWLINES = Pattern.compile("\\n{2,}");
    /** A sentence ends at . ! or ?, possibly followed by closing quotes or brackets, then space or the end. */
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?…][\"'”’)\\]]*(?=\\s|$)");

    private SmsReplyText() {
    }

    /**
     * Removes markdown and tidies whitespace, then caps the text at {@code maxChars}, cutting after the
     * last whole sentence that fits (or, when no sentence fits, at a word with an ellipsis).
     *
     * @return the text to send, or an empty string when nothing is left
     */
    public static String fit(String text, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive, was " + maxChars);
        }
        return cap(stripMarkdown(text), maxChars);
    }

    /**
     * The reply a generator returns for what its model wrote: the output check on the model's own text first, then
     * {@link #fit}. The check sees the text before any fitting: stripping markdown or cutting an over-long answer
     * would hide the signs of a model talked into ignoring its rules (a role-played "**Bank Security**" notice, an
     * essay, a heading) and let the obeyed text through.
     *
     * @return the text to send, or an empty string when nothing is left (the caller's failure to report)
     * @throws ReplyRefusedException when the check refuses the text
     */
    public static String checkedAndFit(String text, ReplyGuard guard, int maxChars) {
        String raw = text == null ? "" : text.strip();
        if (!raw.isEmpty()) {
            Optional<String> refused = guard.check(raw);
            if (refused.isPresent()) {
                throw new ReplyRefusedException(refused.get());
            }
        }
        return fit(raw, maxChars);
    }

    /** Markdown removed, line endings normalised, runs of blanks collapsed, ends trimmed. */
    public static String stripMarkdown(String text) {
        if (text == null) {
            return "";
        }
        String s = text.replace("\r\n", "\n").replace('\r', '\n');
        s = CODE_FENCE.matcher(s).replaceAll("");
        s = INLINE_CODE.matcher(s).replaceAll("$1");
        s = IMAGE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1).isBlank() ? m.group(2) : m.group(1)));
        s = LINK.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1).equals(m.group(2)) ? m.group(2) : m.group(1) + " (" + m.group(2) + ")"));
        s = RULE.matcher(s).replaceAll("");
        s = HEADING.matcher(s).replaceAll("");
        s = BLOCKQUOTE.matcher(s).replaceAll("");
        s = BOLD.matcher(s).replaceAll("$2");
        s = STRIKE.matcher(s).replaceAll("$1");
        s = ITALIC_STAR.matcher(s).replaceAll("$1");
        s = ITALIC_UNDERSCORE.matcher(s).replaceAll("$1");
        s = BULLET.matcher(s).replaceAll("- ");
        s = SPACES.matcher(s).replaceAll(" ");
        s = SPACE_BEFORE_NEWLINE.matcher(s).replaceAll("\n");
        s = MANY_NEWLINES.matcher(s).replaceAll("\n"); // blank lines cost characters and read oddly in SMS
        return s.strip();
    }

    /** Caps at {@code maxChars} (UTF-16 units), preferring a sentence boundary, never splitting a surrogate pair. */
    static String cap(String s, int maxChars) {
        if (s.length() <= maxChars) {
            return s;
        }
        Matcher m = SENTENCE_END.matcher(s);
        int lastEnd = -1;
        while (m.find() && m.end() <= maxChars) {
            lastEnd = m.end();
        }
        // A sentence boundary is used when it keeps a fair share of the allowed length.
        if (lastEnd >= Math.min(maxChars / 3, 60) && lastEnd > 0) {
            return s.substring(0, lastEnd).strip();
        }
        int limit = maxChars - 1; // room for the ellipsis
        int cut = limit;
        while (cut > 0 && !Character.isWhitespace(s.charAt(cut))) {
            cut--;
        }
        if (cut < limit / 2) {
            cut = limit;
        }
        if (cut > 0 && Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        String head = s.substring(0, cut).stripTrailing();
        while (!head.isEmpty() && ",;:-–—".indexOf(head.charAt(head.length() - 1)) >= 0) {
            head = head.substring(0, head.length() - 1).stripTrailing();
        }
        return head + "…";
    }
}
