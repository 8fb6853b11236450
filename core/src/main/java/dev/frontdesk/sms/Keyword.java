package dev.frontdesk.sms;

import java.util.Locale;
import java.util.Set;

/**
 * The carrier keywords of an inbound message. Only a message that is exactly the keyword (trimmed, any
 * case) counts: {@code "stop please"} is an ordinary message. When Twilio's Advanced Opt-Out sends
 * {@code OptOutType}, that decides.
 */
public enum Keyword {
    /** An ordinary message; the AI answers it. */
    NONE,
    /** STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT: the lead is opted out. */
    OPT_OUT,
    /** START, YES, UNSTOP: the lead is opted back in. */
    OPT_IN,
    /** HELP, INFO: no AI reply (Twilio answers HELP itself), or the configured help text. */
    HELP;

    private static final Set<String> OPT_OUT_WORDS =
            Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT");
    private static final Set<String> OPT_IN_WORDS = Set.of("START", "YES", "UNSTOP");
    private static final Set<String> HELP_WORDS = Set.of("HELP", "INFO");

    /**
     * Classifies an inbound message.
     *
     * @param body       the message text (null is treated as empty)
     * @param optOutType Twilio's {@code OptOutType} parameter, or null
     */
    public static Keyword detect(String body, String optOutType) {
        if (optOutType != null && !optOutType.isBlank()) {
            switch (optOutType.strip().toUpperCase(Locale.ROOT)) {
                case "STOP":
                    return OPT_OUT;
                case "START":
                    return OPT_IN;
                case "HELP":
                    return HELP;
                default:
                    break;
            }
        }
        if (body == null) {
            return NONE;
        }
        String word = body.strip().toUpperCase(Locale.ROOT);
        if (OPT_OUT_WORDS.contains(word)) {
            return OPT_OUT;
        }
        if (OPT_IN_WORDS.contains(word)) {
            return OPT_IN;
        }
        if (HELP_WORDS.contains(word)) {
            return HELP;
        }
        return NONE;
    }

    /** The lead's opt-out flag after a message with this keyword. */
    public boolean optOutAfter(boolean optedOutBefore) {
        return switch (this) {
            case OPT_OUT -> true;
            case OPT_IN -> false;
            default -> optedOutBefore;
        };
    }

    /** Whether a message with this keyword, from a lead whose opt-out flag is now {@code optedOut}, gets an AI reply. */
    public boolean wantsAiReply(boolean optedOut) {
        return this == NONE && !optedOut;
    }
}
