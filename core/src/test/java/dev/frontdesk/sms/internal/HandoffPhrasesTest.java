package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoffPhrasesTest {

    @Test
    void customersAskingForAPersonInSoManyWordsAreSeen() {
        for (String text : List.of("Can I talk to a real person?", "I want to speak with the owner", "HUMAN PLEASE",
                "let me chat to someone", "Is there an actual human there", "can someone call me back",
                "I'd like to speak to a manager.", "person pls", "you're not a bot right? I need a live agent",
                "Please have a person call me", "talk to your technician")) {
            assertThat(HandoffPhrases.asksForAPerson(text)).as(text).isTrue();
        }
    }

    @Test
    void ordinaryBookingTalkIsNotAHandoff() {
        for (String text : List.of("My water heater is leaking", "Call me at 5 tomorrow", "Are you a person?",
                "Sam Lee, 12 Oak St", "someone broke my window", "The person who came last time was great",
                "I spoke to my husband, Tuesday works", "humans are weird lol", "", "real estate office at 4 Main St")) {
            assertThat(HandoffPhrases.asksForAPerson(text)).as(text).isFalse();
        }
        assertThat(HandoffPhrases.asksForAPerson(null)).isFalse();
    }

    @Test
    void onlyTheCustomersTextsSinceTheBusinessLastWroteCount() {
        Message asked = message(1, Direction.INBOUND, "can I talk to a person?");
        Message answered = message(2, Direction.OUTBOUND, "Sure, someone will text you.");
        Message later = message(3, Direction.INBOUND, "Thanks, it's 12 Oak St");

        assertThat(HandoffPhrases.inLatestTexts(List.of(asked))).isTrue();
        assertThat(HandoffPhrases.inLatestTexts(List.of(asked, answered, later))).isFalse();
        assertThat(HandoffPhrases.inLatestTexts(List.of(answered, later, asked))).isTrue();
        assertThat(HandoffPhrases.inLatestTexts(List.of())).isFalse();
    }

    @Test
    void theReplyPathReportsAHandoffFromTheAiOrFromTheCustomersWords() {
        Reply plain = new Reply("Thanks!", "fallback", false);
        Reply flagged = new Reply("Sure.", "ai", false, null, java.util.Map.of(), true);
        Message asked = message(1, Direction.INBOUND, "speak to a human please");
        Message booking = message(1, Direction.INBOUND, "leaking pipe at 12 Oak St");

        assertThat(ReplyJobRunner.findings(context(List.of(asked)), plain).handoffRequested()).isTrue();
        assertThat(ReplyJobRunner.findings(context(List.of(booking)), flagged).handoffRequested()).isTrue();
        assertThat(ReplyJobRunner.findings(context(List.of(booking)), plain).handoffRequested()).isFalse();
    }

    private static dev.frontdesk.sms.ReplyContext context(List<Message> history) {
        Instant t = Instant.parse("2026-01-05T15:00:00Z");
        return new dev.frontdesk.sms.ReplyContext(new dev.frontdesk.sms.ReplyJob(1, 1, 1, 1, "w", t, t, dev.frontdesk.sms.ReplyJob.Kind.REPLY), null, null, null,
                history, null, null, false, new dev.frontdesk.sms.AutoReplyCounts(0, 0, 0));
    }

    private static Message message(long id, Direction direction, String body) {
        Instant t = Instant.parse("2026-01-05T15:00:00Z").plusSeconds(id);
        return new Message(id, 1, null, direction, "+15551230000", "+15559870000", body, MessageStatus.RECEIVED, null, 1,
                List.of(), null, null, t);
    }
}
