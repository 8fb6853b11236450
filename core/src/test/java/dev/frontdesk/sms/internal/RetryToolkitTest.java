package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one retry toolkit the Twilio gateway and the OpenAI generator share. */
class RetryToolkitTest {

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        assertThat(RetryAfter.parse("3", now)).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse("1.5", now)).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse("Thu, 01 Jan 2026 10:00:07 GMT", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("Thu, 01 Jan 2026 09:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("-4", now)).isNull();
        assertThat(RetryAfter.parse("soon", now)).isNull();
        assertThat(RetryAfter.parse(null, now)).isNull();
    }

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheCapWithHalfOfItRandom() {
        Backoff low = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(8), () -> 0.0);
        Backoff high = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(8), () -> 0.9999);
        assertThat(low.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(high.delay(1)).isBetween(Duration.ofMillis(1990), Duration.ofSeconds(2));
        assertThat(low.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(low.delay(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(low.delay(30)).isEqualTo(Duration.ofSeconds(4));
        assertThat(new Backoff(Duration.ofDays(1000), Duration.ofMillis(Long.MAX_VALUE), () -> 0.0).delay(64))
                .as("no overflow").isPositive();
    }

    @Test
    void aLongerRetryAfterWinsOverTheBackoff() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), () -> 0.0);
        assertThat(b.delay(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.delay(1, Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(250));
        assertThat(b.delay(1, null)).isEqualTo(Duration.ofMillis(250));
    }
}
