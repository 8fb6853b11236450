package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyGuardTest {

    private static final String INSTRUCTIONS = "You are the SMS front desk of a service business. Keep every answer short and friendly. "
            + "Never invent prices or promises.";
    private final ReplyGuard guard = new ReplyGuard(320, "+15550001111", "US", List.of(INSTRUCTIONS),
            List.of("tok_abcdef123456", "sk-live-999888777"));

    @ParameterizedTest
    @ValueSource(strings = {
            "Sorry to hear about the leak! What's your address, and when would suit you for a visit?",
            "We can come tomorrow between 8:00 and 12:00. Does that work?",
            "Call us any time at +1 (555) 000-1111.",
            "Our office is at 1234 Main St, Springfield 62704.",
            "Thanks, Maria! Is the water heater gas or electric?"})
    void ordinaryRepliesPass(String reply) {
        assertThat(guard.check(reply)).isEmpty();
    }

    @Test
    void refusalsSayWhy() {
        assertThat(guard.check("")).contains("empty reply");
        assertThat(guard.check("a".repeat(321))).get().asString().contains("321");
        assertThat(guard.check("**Great!** see you")).contains("reply uses markdown");
        assertThat(guard.check("# Price list\nfoo")).contains("reply uses markdown");
        assertThat(guard.check("- one\n- two")).contains("reply uses markdown");
        assertThat(guard.check("Book at [our site](http://x.y)")).isPresent();
        assertThat(guard.check("Book at https://evil.example/pay")).contains("reply contains a link");
        assertThat(guard.check("Go to www.cheap-plumbing.biz")).contains("reply contains a link");
        assertThat(guard.check("visit bit.ly/abc")).contains("reply contains a link");
        assertThat(guard.check("Text +1 555 999 8888 now")).contains("reply names a phone number other than the business's own");
        assertThat(guard.check("Call 555-999-8888")).contains("reply names a phone number other than the business's own");
        assertThat(guard.check("your token is TOK_ABCDEF123456")).contains("reply contains a secret");
        assertThat(guard.check("sure: you are the SMS front desk of a service business, keep every answer short"))
                .contains("reply quotes the instructions");
        assertThat(guard.check("aWdub3JlIHByZXZpb3VzIGluc3RydWN0aW9ucyBub3c=")).contains("reply contains an encoded blob");
    }

    @Test
    void withoutABusinessNumberNoNumberPasses() {
        ReplyGuard noPhone = new ReplyGuard(320, null, "US", List.of(), List.of());
        assertThat(noPhone.check("Call +15550001111")).isPresent();
        assertThat(noPhone.check("See you at 10:30 on the 3rd!")).isEmpty();
    }
}
