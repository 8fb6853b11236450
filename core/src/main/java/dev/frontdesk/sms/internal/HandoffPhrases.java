package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.Message;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A conservative detector of a customer asking for a person in so many words ("can I talk to a real person",
 * "speak with the owner", "human please", "can someone call me"), in English. It backs up the AI's own
 * {@code handoff} flag, which understands any wording and language, for the replies written without the AI's
 * structured answer (fallback replies: AI down, paused, over budget or caps; a generator that answers in plain
 * text). Meant to miss rather than to fire on ordinary booking talk: "call me at 5" or "are you a person?" does
 * not match. Stateless and thread-safe.
 */
public final class HandoffPhrases {

    private static final String WHO = "(?:person|human|someone|somebody|owner|manager|boss|agent|representative|operator|technician|plumber|electrician)";
    private static final Pattern ASKS = Pattern.compile(String.join("|",
            // talk / speak / chat to (a) (real) person, the owner, someone
            "\\b(?:talk|speak|chat)\\s+(?:to|with)\\s+(?:a\\s+|an\\s+|the\\s+|your\\s+|some\\s+)?(?:real\\s+|actual\\s+|live\\s+)?" + WHO + "\\b",
            // a real person, an actual human, a live agent
            "\\b(?:real|actual|live)\\s+(?:person|human|agent|people)\\b",
            // human please, person pls
            "\\b(?:human|person|agent|operator)\\s*,?\\s*(?:please|pls|plz)\\b",
            // can someone call me (back), have a person call me
            "\\b(?:someone|somebody|a\\s+person|a\\s+human|the\\s+owner|a\\s+manager)\\s+(?:to\\s+)?(?:call|phone|ring)\\s+me\\b",
            // no more bots, stop the robot
            "\\b(?:no\\s+more|stop\\s+the)\\s+(?:bots?|robots?|machines?)\\b"),
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private HandoffPhrases() {
    }

    /** Whether {@code text} asks for a person in so many words. */
    public static boolean asksForAPerson(String text) {
        return text != null && ASKS.matcher(text).find();
    }

    /** Whether one of the customer's texts since the business last wrote (the tail of {@code history}) asks for a person. */
    public static boolean inLatestTexts(List<Message> history) {
        for (int i = history.size() - 1; i >= 0 && history.get(i).direction() == Direction.INBOUND; i--) {
            if (asksForAPerson(history.get(i).body())) {
                return true;
            }
        }
        return false;
    }
}
