package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BusinessHoursTest {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    static final BusinessHours HOURS = BusinessHours.parse("Mon-Fri 08:00-18:00; Sat 09:00-12:00", CHICAGO);

    @Test
    void openAndClosedFollowTheDaysAndTimesInTheBusinessTimeZone() {
        assertThat(HOURS.isOpen(Instant.parse("2026-11-27T14:00:00Z"))).isTrue();   // Fri 08:00 CST
        assertThat(HOURS.isOpen(Instant.parse("2026-11-27T13:59:00Z"))).isFalse();  // Fri 07:59
        assertThat(HOURS.isOpen(Instant.parse("2026-11-28T00:00:00Z"))).isFalse();  // Fri 18:00
        assertThat(HOURS.isOpen(Instant.parse("2026-11-28T16:00:00Z"))).isTrue();   // Sat 10:00
        assertThat(HOURS.isOpen(Instant.parse("2026-11-29T16:00:00Z"))).isFalse();  // Sun 10:00
    }

    @Test
    void theNextOpeningIsSaidInWordsForACustomer() {
        assertThat(HOURS.nextOpeningInWords(Instant.parse("2026-11-27T10:00:00Z"))).contains("today at 8:00 AM");
        assertThat(HOURS.nextOpeningInWords(Instant.parse("2026-11-28T01:00:00Z"))).contains("tomorrow at 9:00 AM");
        assertThat(HOURS.nextOpeningInWords(Instant.parse("2026-11-28T19:00:00Z"))).contains("Monday at 8:00 AM");
    }

    @Test
    void theLastClosingStartsTheCurrentClosedSpell() {
        assertThat(HOURS.lastClosing(Instant.parse("2026-11-29T16:00:00Z"))).contains(Instant.parse("2026-11-28T18:00:00Z"));
        assertThat(HOURS.lastClosing(Instant.parse("2026-11-28T00:30:00Z"))).contains(Instant.parse("2026-11-28T00:00:00Z"));
    }

    @Test
    void withoutHoursTheBusinessIsAlwaysOpen() {
        BusinessHours always = BusinessHours.parse("  ", CHICAGO);
        assertThat(always.configured()).isFalse();
        assertThat(always.isOpen(Instant.parse("2026-11-29T08:00:00Z"))).isTrue();
        assertThat(always.nextOpening(Instant.EPOCH)).isEmpty();
    }

    @Test
    void badSpecsNameTheVariable() {
        for (String bad : new String[] {"Mon-Fri", "Xyz 08:00-18:00", "Mon 18:00-08:00", "Mon 25:00-26:00", "weekdays 9-5"}) {
            assertThatThrownBy(() -> BusinessHours.parse(bad, CHICAGO)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("BUSINESS_HOURS");
        }
        assertThat(BusinessHours.parse("mon 00:00-24:00", CHICAGO).isOpen(Instant.parse("2026-12-01T05:59:00Z"))).isTrue();
    }
}
