package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void phoneNumbersInFreeTextAreMaskedButSidsDatesAndShortNumbersAreKept() {
        assertThat(LogSafe.maskPhones("The 'To' number +15559990000 is not a valid phone number."))
                .isEqualTo("The 'To' number +1555***0000 is not a valid phone number.");
        assertThat(LogSafe.maskPhones("call (555) 123-4567 or 555.987.6543 now")).doesNotContain("123-4567", "987.6543");
        assertThat(LogSafe.maskPhones("+44 20 7946 0018")).doesNotContain("7946 0018");
        assertThat(LogSafe.maskPhones("SM0123456789abcdef0123456789abcdef sent 2026-11-27 error 30003 at 12:30"))
                .isEqualTo("SM0123456789abcdef0123456789abcdef sent 2026-11-27 error 30003 at 12:30");
        assertThat(LogSafe.maskPhones(null)).isNull();
    }

    @Test
    void aBodyInALogLineHasItsNumbersMaskedAndIsCutShort() {
        assertThat(LogSafe.body("Call me at +15551230001, my sink leaks and the kitchen floor is wet"))
                .startsWith("Call me at +1555***0001").hasSizeLessThanOrEqualTo(41);
    }

    @Test
    void textWithFewerThanTenDigitsIsLeftAsItIs() {
        String text = "Hi, my sink leaks, unit 12, gate code 4567, come at 9:30";
        assertThat(LogSafe.maskPhones(text)).isSameAs(text);
        assertThat(LogSafe.maskPhones("call 555 123 4567 please")).isEqualTo("call 55512***4567 please");
    }
}
