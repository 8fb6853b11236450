package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsSegmentsTest {

    @Test
    void plainAsciiFitsOneSegmentUpTo160() {
        assertThat(SmsSegments.count("a".repeat(160))).isEqualTo(1);
        assertThat(SmsSegments.count("a".repeat(161))).isEqualTo(2);
        assertThat(SmsSegments.count("a".repeat(306))).isEqualTo(2);
        assertThat(SmsSegments.count("a".repeat(307))).isEqualTo(3);
    }

    @Test
    void extensionCharactersCountDouble() {
        assertThat(SmsSegments.isGsm7("€^{}[]~|\\")).isTrue();
        assertThat(SmsSegments.count("€".repeat(80))).isEqualTo(1);
        assertThat(SmsSegments.count("€".repeat(81))).isEqualTo(2);
        assertThat(SmsSegments.count("a".repeat(159) + "^")).isEqualTo(2);
        assertThat(SmsSegments.count("a".repeat(158) + "^")).isEqualTo(1);
    }

    @Test
    void anExtensionCharacterIsNotSplitAcrossSegments() {
        // 152 plain + '^' (2) = 154 > 153: the escape pair moves to the next segment.
        String body = "a".repeat(152) + "^" + "a".repeat(10);
        assertThat(SmsSegments.count(body)).isEqualTo(2);
        assertThat(SmsSegments.count("a".repeat(152) + "^" + "a".repeat(152))).isEqualTo(3);
    }

    @Test
    void anEmojiForcesUcs2() {
        assertThat(SmsSegments.isGsm7("Thanks 🔧")).isFalse();
        assertThat(SmsSegments.count("a".repeat(68) + "🔧")).isEqualTo(1);   // 70 UTF-16 units
        assertThat(SmsSegments.count("a".repeat(69) + "🔧")).isEqualTo(2);   // 71 units
        assertThat(SmsSegments.count("é".repeat(70))).isEqualTo(1);          // é is GSM-7
        assertThat(SmsSegments.count("ç".repeat(70))).isEqualTo(1);          // ç is not GSM-7: UCS-2, 70
        assertThat(SmsSegments.count("ç".repeat(71))).isEqualTo(2);
        assertThat(SmsSegments.count("ç".repeat(134))).isEqualTo(2);
        assertThat(SmsSegments.count("ç".repeat(135))).isEqualTo(3);
    }

    @Test
    void aSurrogatePairIsNotSplitAcrossSegments() {
        // 66 units then an emoji (2 units) would straddle the 67-unit boundary.
        assertThat(SmsSegments.count("ç".repeat(66) + "🔧" + "ç".repeat(10))).isEqualTo(2);
        assertThat(SmsSegments.count("ç".repeat(66) + "🔧" + "ç".repeat(66))).isEqualTo(3);
    }

    @Test
    void maximumLengthMessages() {
        assertThat(SmsSegments.count("a".repeat(1600))).isEqualTo(11);   // ceil(1600 / 153)
        assertThat(SmsSegments.count("ç".repeat(1600))).isEqualTo(24);   // ceil(1600 / 67)
        assertThat(SmsSegments.count("")).isZero();
        assertThat(SmsSegments.count(null)).isZero();
    }
}
