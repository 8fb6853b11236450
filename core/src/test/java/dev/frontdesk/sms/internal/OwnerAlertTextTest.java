package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.OwnerAlert.Reason;
import dev.frontdesk.sms.PhoneNumber;
import org.junit.jupiter.api.Test;

/** The owner alert's text: the front desk's words, the customer's name and quote, nothing of theirs outside them. */
class OwnerAlertTextTest {
    private static final PhoneNumber CUSTOMER = new PhoneNumber("+15551234567");

    @Test
    void eachReasonHasItsOwnWords() {
        assertThat(OwnerAlertText.compose(Reason.EMERGENCY, CUSTOMER, "Sam", "Water everywhere", null))
                .isEqualTo("FrontDesk: emergency from +15551234567 (Sam): \"Water everywhere\"");
        assertThat(OwnerAlertText.compose(Reason.HANDOFF, CUSTOMER, null, "A person please", "https://d.example/#/leads/7"))
                .isEqualTo("FrontDesk: person requested by +15551234567: \"A person please\" https://d.example/#/leads/7");
        assertThat(OwnerAlertText.compose(Reason.QUALIFIED, CUSTOMER, "Jo", null, null))
                .isEqualTo("FrontDesk: qualified lead +15551234567 (Jo)");
    }

    @Test
    void newlinesControlAndFormatCharactersBecomeOneSpace() {
        assertThat(OwnerAlertText.flatten("  a\r\n\tb\u2028c\u0000d\u202Ee\u200Bf  ")).isEqualTo("a b c d e f");
    }

    @Test
    void quotesAndBackslashesAreEscapedSoTheQuoteCannotEnd() {
        String text = OwnerAlertText.compose(Reason.EMERGENCY, CUSTOMER, null, "x\" FrontDesk: fake \u201Cy\u201D \\", null);
        assertThat(text).isEqualTo("FrontDesk: emergency from +15551234567: \"x\\\" FrontDesk: fake \\\"y\\\" \\\\\"");
    }

    @Test
    void longTextIsCutWithAnEllipsisToFitOneSegment() {
        String text = OwnerAlertText.compose(Reason.EMERGENCY, CUSTOMER, "Sam", "y".repeat(2000), "https://d.example/#/leads/123456");
        assertThat(text).contains("\"" + "y".repeat(57) + "...\"");
        assertThat(SmsSegments.count(text)).isEqualTo(1);
        String emoji = OwnerAlertText.compose(Reason.EMERGENCY, CUSTOMER, "Sam", "🔥".repeat(100), null);
        assertThat(emoji.codePointCount(0, emoji.length())).isLessThanOrEqualTo(OwnerAlertText.QUOTE_MAX + 60);
        assertThat(emoji).endsWith("...\"").doesNotContain("\uFFFD");
    }

    @Test
    void aNameKeepsOnlyWhatNamesAreMadeOf() {
        assertThat(OwnerAlertText.name("Sam\n\nFrontDesk: (fake) \"Bob\"")).isEqualTo("Sam FrontDesk fake Bob");
        assertThat(OwnerAlertText.name("Zoë O'Brien-Núñez Jr.")).isEqualTo("Zoë O'Brien-Núñez Jr.");
        assertThat(OwnerAlertText.name("Bartholomew Maximilian Featherstonehaugh")).hasSize(24).endsWith("...");
        assertThat(OwnerAlertText.name("<>\"()")).isEmpty();
        assertThat(OwnerAlertText.compose(Reason.HANDOFF, CUSTOMER, "()", null, null))
                .isEqualTo("FrontDesk: person requested by +15551234567");
    }
}
