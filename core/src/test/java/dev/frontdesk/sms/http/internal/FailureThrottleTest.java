package dev.frontdesk.sms.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void anAddressMayFailTheBurstThenOncePerRefill() {
        FailureThrottle t = new FailureThrottle(3, Duration.ofSeconds(6), 100);
        for (int i = 0; i < 3; i++) {
            assertThat(t.waitBeforeTrying("a", T0)).isZero();
            t.failed("a", T0);
        }
        assertThat(t.waitBeforeTrying("a", T0)).isEqualTo(Duration.ofSeconds(6));
        assertThat(t.waitBeforeTrying("a", T0.plusSeconds(4))).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.waitBeforeTrying("a", T0.plusSeconds(6))).isZero();
        t.failed("a", T0.plusSeconds(6));
        assertThat(t.waitBeforeTrying("a", T0.plusSeconds(6))).isEqualTo(Duration.ofSeconds(6));
        assertThat(t.waitBeforeTrying("b", T0)).as("other addresses are not affected").isZero();
        t.succeeded("a");
        assertThat(t.waitBeforeTrying("a", T0.plusSeconds(6))).isZero();
        assertThat(t.size()).isZero();
    }

    @Test
    void manyAddressesNeverGrowItPastItsBound() {
        FailureThrottle t = new FailureThrottle(1, Duration.ofSeconds(6), 1000);
        for (int i = 0; i < 50_000; i++) {
            t.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), T0);
            assertThat(t.size()).isLessThanOrEqualTo(1000);
        }
        assertThat(t.size()).isEqualTo(1000);
        assertThat(t.waitBeforeTrying("10.0.195.79", T0)).as("the most recent addresses are still throttled").isPositive();
        assertThat(t.waitBeforeTrying("10.0.0.1", T0)).as("the oldest were forgotten").isZero();
    }

    @Test
    void aFullyRefilledAddressIsForgotten() {
        FailureThrottle t = new FailureThrottle(2, Duration.ofSeconds(6), 100);
        t.failed("a", T0);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.waitBeforeTrying("a", T0.plusSeconds(60))).isZero();
        assertThat(t.size()).isZero();
    }
}
