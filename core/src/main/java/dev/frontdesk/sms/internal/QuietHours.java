package dev.frontdesk.sms.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.frontdesk.sms.PhoneNumber;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Cold staff texts reach a customer only between 8:00 and 21:00 in the customer's time zone, unless
 * confirmed; follow-ups wait for 8:00 ({@link #morning}). The time zone comes from the number's area code (libphonenumber's
 * {@link PhoneNumberToTimeZonesMapper}); where that is unknown, the business's time zone when one was set,
 * and otherwise the local time is unknown and nothing is held back. Where an area code spans several
 * zones, the text counts as quiet if it is quiet in any of them. Whether the text is cold (the customer
 * has not texted in the last {@link CustomerWindow#DAY}) is the caller's to decide. Thread-safe.
 */
final class QuietHours {
    static final LocalTime START = LocalTime.of(8, 0);
    static final LocalTime END = LocalTime.of(21, 0);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mm a", Locale.ENGLISH);

    private QuietHours() {
    }

    /** The customer's time zones as libphonenumber knows them from the number, else {@code fallback} (none if empty). */
    static List<ZoneId> zonesOf(PhoneNumber number, Optional<ZoneId> fallback) {
        List<ZoneId> out = new ArrayList<>();
        try {
            var parsed = PhoneNumberUtil.getInstance().parse(number.value(), null);
            for (String id : PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(parsed)) {
                if (!id.equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) {
                    try {
                        out.add(ZoneId.of(id));
                    } catch (DateTimeException ignored) {
                        // a zone the JDK does not know: leave it out
                    }
                }
            }
        } catch (NumberParseException ignored) {
            // stored numbers are E.164; nothing to learn from one that does not parse
        }
        return out.isEmpty() ? fallback.map(List::of).orElse(List.of()) : out;
    }

    /**
     * When a text the front desk sends on its own (a follow-up) may go out if {@code now} is quiet for the customer:
     * 8:00 next in each zone where it is quiet, the latest of them; empty when it is not quiet (or the customer's
     * local time is unknown).
     */
    static Optional<Instant> morning(PhoneNumber number, Optional<ZoneId> fallback, Instant now) {
        Instant latest = null;
        for (ZoneId zone : zonesOf(number, fallback)) {
            ZonedDateTime local = now.atZone(zone);
            LocalTime t = local.toLocalTime();
            if (t.isBefore(START) || !t.isBefore(END)) {
                Instant at = ZonedDateTime.of(t.isBefore(START) ? local.toLocalDate() : local.toLocalDate().plusDays(1), START, zone)
                        .toInstant();
                latest = latest == null || at.isAfter(latest) ? at : latest;
            }
        }
        return Optional.ofNullable(latest);
    }

    /**
     * Why a text at {@code now} is too early or too late for the customer, or empty when it is not or when
     * the customer's local time is unknown.
     */
    static Optional<String> check(PhoneNumber number, Optional<ZoneId> fallback, Instant now) {
        for (ZoneId zone : zonesOf(number, fallback)) {
            ZonedDateTime local = now.atZone(zone);
            LocalTime t = local.toLocalTime();
            if (t.isBefore(START) || !t.isBefore(END)) {
                return Optional.of("It is " + TIME.format(local) + " for this customer (" + zone.getId()
                        + "), who has not texted in the last 24 hours; a text between 9:00 PM and 8:00 AM needs confirmation."
                        + " Send again with \"force\": true to send anyway.");
            }
        }
        return Optional.empty();
    }
}
