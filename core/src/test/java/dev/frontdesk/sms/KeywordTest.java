package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeywordTest {

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", " Stop ", "STOPALL", "UNSUBSCRIBE", "cancel", "END", "quit", "REVOKE", "OptOut", "\tSTOP\n"})
    void optOutKeywords(String body) {
        assertThat(Keyword.detect(body, null)).isEqualTo(Keyword.OPT_OUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"START", "start", " Yes ", "UNSTOP"})
    void optInKeywords(String body) {
        assertThat(Keyword.detect(body, null)).isEqualTo(Keyword.OPT_IN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HELP", "help", " Info "})
    void helpKeywords(String body) {
        assertThat(Keyword.detect(body, null)).isEqualTo(Keyword.HELP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stop please", "please stop", "STOP!", "S T O P", "stopp", "yes please", "help me with my sink",
            "information", "end of message", "", "   ", "Hi, I need help with my plumbing issue"})
    void nearMissesAreOrdinaryMessages(String body) {
        assertThat(Keyword.detect(body, null)).isEqualTo(Keyword.NONE);
    }

    @Test
    void twiliosOptOutTypeDecidesWhenPresent() {
        assertThat(Keyword.detect("please stop texting me", "STOP")).isEqualTo(Keyword.OPT_OUT);
        assertThat(Keyword.detect("arrêt", "stop")).isEqualTo(Keyword.OPT_OUT);
        assertThat(Keyword.detect("go", "START")).isEqualTo(Keyword.OPT_IN);
        assertThat(Keyword.detect("?", "HELP")).isEqualTo(Keyword.HELP);
        assertThat(Keyword.detect("STOP", "")).isEqualTo(Keyword.OPT_OUT);
        assertThat(Keyword.detect("hello", "SOMETHING_NEW")).isEqualTo(Keyword.NONE);
        assertThat(Keyword.detect(null, null)).isEqualTo(Keyword.NONE);
    }

    @Test
    void optOutFlagAndReplyDecision() {
        assertThat(Keyword.OPT_OUT.optOutAfter(false)).isTrue();
        assertThat(Keyword.OPT_IN.optOutAfter(true)).isFalse();
        assertThat(Keyword.HELP.optOutAfter(true)).isTrue();
        assertThat(Keyword.NONE.optOutAfter(false)).isFalse();
        assertThat(Keyword.NONE.wantsAiReply(false)).isTrue();
        assertThat(Keyword.NONE.wantsAiReply(true)).isFalse();
        assertThat(Keyword.OPT_IN.wantsAiReply(false)).isFalse();
        assertThat(Keyword.HELP.wantsAiReply(false)).isFalse();
        assertThat(Keyword.OPT_OUT.wantsAiReply(false)).isFalse();
    }
}
