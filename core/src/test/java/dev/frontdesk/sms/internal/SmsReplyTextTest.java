package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmsReplyTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "**Great** news!|Great news!",
            "__Great__ news!|Great news!",
            "We *can* help.|We can help.",
            "We _can_ help.|We can help.",
            "~~old~~ new|old new",
            "## Booking|Booking",
            "> quoted text|quoted text",
            "Use `code` here|Use code here",
            "See [our site](https://acme.example) today|See our site (https://acme.example) today",
            "Photo: ![a leak](https://x.example/a.png)|Photo: a leak",
            "* one|- one",
            "snake_case_name stays|snake_case_name stays",
            "2*3*4 = 24|2*3*4 = 24",
            "Email me_at_home please|Email me_at_home please",
    })
    void markdownIsRemoved(String in, String out) {
        assertThat(SmsReplyText.stripMarkdown(in)).isEqualTo(out);
    }

    @Test
    void codeFencesRulesAndBlankLinesGo() {
        assertThat(SmsReplyText.stripMarkdown("Hi!\n\n```\nsome code\n```\n\n---\n\nBye.  \r\n"))
                .isEqualTo("Hi!\nsome code\nBye.");
    }

    @Test
    void shortTextIsUnchanged() {
        assertThat(SmsReplyText.fit("Hello there. What is your address?", 320)).isEqualTo("Hello there. What is your address?");
    }

    @Test
    void longTextIsCutAfterTheLastWholeSentenceThatFits() {
        String text = "First sentence is here. Second sentence is a bit longer than the first! Third one asks a question? "
                + "Fourth sentence will not fit within the limit at all, it just keeps going and going.";
        String fitted = SmsReplyText.fit(text, 110);
        assertThat(fitted).isEqualTo("First sentence is here. Second sentence is a bit longer than the first! Third one asks a question?");
        assertThat(fitted.length()).isLessThanOrEqualTo(110);
    }

    @Test
    void closingQuotesStayWithTheirSentence() {
        String text = "He said \"we will come.\" Then a very long sentence follows that does not fit the limit at all anywhere near.";
        assertThat(SmsReplyText.fit(text, 60)).isEqualTo("He said \"we will come.\"");
    }

    @Test
    void withoutASentenceBoundaryItCutsAtAWordWithAnEllipsis() {
        String text = "this reply has no punctuation at all and it keeps going well past the limit we set for it";
        String fitted = SmsReplyText.fit(text, 40);
        assertThat(fitted).hasSizeLessThanOrEqualTo(40).endsWith("…").startsWith("this reply has no");
        assertThat(fitted).doesNotContain("  ");
        assertThat(fitted.substring(0, fitted.length() - 1)).doesNotEndWith(" ");
    }

    @Test
    void neverSplitsAnEmoji() {
        String text = "😀".repeat(50);
        String fitted = SmsReplyText.fit(text, 41);
        assertThat(fitted.length()).isLessThanOrEqualTo(41);
        for (int i = 0; i < fitted.length() - 1; i++) {
            if (Character.isHighSurrogate(fitted.charAt(i))) {
                assertThat(Character.isLowSurrogate(fitted.charAt(i + 1))).isTrue();
            }
        }
        // A lone surrogate would not survive a UTF-8 round trip.
        assertThat(new String(fitted.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(fitted);
        assertThat(fitted).endsWith("…").startsWith("😀");
    }

    @Test
    void nothingButMarkupBecomesEmpty() {
        assertThat(SmsReplyText.fit("  **  ** \n", 320)).isEmpty();
        assertThat(SmsReplyText.fit(null, 320)).isEmpty();
    }

    @Test
    void theLimitHoldsForAnyInput() {
        String text = "Word. ".repeat(200) + "x".repeat(500);
        for (int max = 40; max <= 400; max += 7) {
            assertThat(SmsReplyText.fit(text, max).length()).isLessThanOrEqualTo(max).isPositive();
        }
    }
}
