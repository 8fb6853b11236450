package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.LogSafe;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a person answers at the business: opening times per weekday in one time zone, read from
 * {@code BUSINESS_HOURS} (e.g. {@code Mon-Fri 08:00-18:00; Sat 09:00-12:00}) and {@code BUSINESS_TIMEZONE}
 * (e.g. {@code America/Chicago}). {@link #ALWAYS} (no {@code BUSINESS_HOURS}) is open around the clock.
 * Immutable and thread-safe.
 */
public final class BusinessHours {

    /** Open at all times: no after-hours handling. */
    public static final BusinessHours ALWAYS = new BusinessHours(null, ZoneId.of("UTC"), "");

    private static final Pattern PART = Pattern.compile(
            "(?i)\\s*([a-z]{3})(?:\\s*-\\s*([a-z]{3}))?\\s+(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})\\s*");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mm a", Locale.ENGLISH);

    /** Opening interval per day, or null for "always open". */
    private final Map<DayOfWeek, LocalTime[]> days;
    private final ZoneId zone;
    private final String spec;

    private BusinessHours(Map<DayOfWeek, LocalTime[]> days, ZoneId zone, String spec) {
        this.days = days;
        this.zone = zone;
        this.spec = spec;
    }

    /**
     * Parses {@code spec}: parts separated by {@code ;} or {@code ,}, each a day or day range
     * ({@code Mon}, {@code Mon-Fri}) and a time range ({@code 08:00-18:00}, 24-hour, end after start).
     * Days not named are closed. A blank spec gives {@link #ALWAYS}.
     *
     * @throws ConfigurationException naming {@code BUSINESS_HOURS} when the spec cannot be read
     */
    public static BusinessHours parse(String spec, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (spec == null || spec.isBlank()) {
            return new BusinessHours(null, zone, "");
        }
        Map<DayOfWeek, LocalTime[]> days = new EnumMap<>(DayOfWeek.class);
        for (String part : spec.split("[;,]")) {
            if (part.isBlank()) {
                continue;
            }
            Matcher m = PART.matcher(part);
            if (!m.matches()) {
                throw bad(spec, "'" + LogSafe.truncate(part.strip(), 40) + "' is not like 'Mon-Fri 08:00-18:00'");
            }
            DayOfWeek first = day(m.group(1), spec);
            DayOfWeek last = m.group(2) == null ? first : day(m.group(2), spec);
            LocalTime open = time(m.group(3), m.group(4), spec);
            LocalTime close = m.group(5).equals("24") && m.group(6).equals("00") ? LocalTime.MAX : time(m.group(5), m.group(6), spec);
            if (!close.isAfter(open)) {
                throw bad(spec, "closing time must be after opening time in '" + part.strip() + "'");
            }
            DayOfWeek d = first;
            while (true) {
                days.put(d, new LocalTime[] {open, close});
                if (d == last) {
                    break;
                }
                d = d.plus(1);
            }
        }
        return new BusinessHours(days, zone, spec.strip());
    }

    private static DayOfWeek day(String s, String spec) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(s)) {
                return d;
            }
        }
        throw bad(spec, "'" + s + "' is not a day; use Mon, Tue, Wed, Thu, Fri, Sat, Sun");
    }

    private static LocalTime time(String h, String m, String spec) {
        int hour = Integer.parseInt(h);
        int minute = Integer.parseInt(m);
        if (hour > 23 || minute > 59) {
            throw bad(spec, h + ":" + m + " is not a time of day");
        }
        return LocalTime.of(hour, minute);
    }

    private static ConfigurationException bad(String spec, String why) {
        return new ConfigurationException("BUSINESS_HOURS must be like 'Mon-Fri 08:00-18:00; Sat 09:00-12:00': " + why + ".");
    }

    /** Whether hours are configured at all (otherwise the business counts as always open). */
    public boolean configured() {
        return days != null;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Whether a person answers at {@code t}. */
    public boolean isOpen(Instant t) {
        if (days == null) {
            return true;
        }
        ZonedDateTime z = t.atZone(zone);
        LocalTime[] span = days.get(z.getDayOfWeek());
        LocalTime now = z.toLocalTime();
        return span != null && !now.isBefore(span[0]) && (span[1] == LocalTime.MAX || now.isBefore(span[1]));
    }

    /** The next opening after {@code t} (within two weeks), or empty when always open or never open. */
    public Optional<ZonedDateTime> nextOpening(Instant t) {
        if (days == null || days.isEmpty()) {
            return Optional.empty();
        }
        ZonedDateTime z = t.atZone(zone);
        for (int i = 0; i <= 14; i++) {
            LocalDate date = z.toLocalDate().plusDays(i);
            LocalTime[] span = days.get(date.getDayOfWeek());
            if (span == null) {
                continue;
            }
            ZonedDateTime open = date.atTime(span[0]).atZone(zone);
            if (open.toInstant().isAfter(t)) {
                return Optional.of(open);
            }
        }
        return Optional.empty();
    }

    /** The last closing time at or before {@code t} (within two weeks), or empty. */
    public Optional<Instant> lastClosing(Instant t) {
        if (days == null || days.isEmpty()) {
            return Optional.empty();
        }
        ZonedDateTime z = t.atZone(zone);
        for (int i = 0; i <= 14; i++) {
            LocalDate date = z.toLocalDate().minusDays(i);
            LocalTime[] span = days.get(date.getDayOfWeek());
            if (span == null) {
                continue;
            }
            Instant close = span[1] == LocalTime.MAX ? date.plusDays(1).atStartOfDay(zone).toInstant()
                    : date.atTime(span[1]).atZone(zone).toInstant();
            if (!close.isAfter(t)) {
                return Optional.of(close);
            }
        }
        return Optional.empty();
    }

    /**
     * When a person follows up, in words for a customer, e.g. "today at 8:00 AM", "tomorrow at 8:00 AM" or
     * "Monday at 8:00 AM"; empty when unknown.
     */
    public Optional<String> nextOpeningInWords(Instant t) {
        return nextOpening(t).map(open -> {
            LocalDate today = t.atZone(zone).toLocalDate();
            String day = open.toLocalDate().equals(today) ? "today"
                    : open.toLocalDate().equals(today.plusDays(1)) ? "tomorrow"
                    : open.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            return day + " at " + TIME.format(open);
        });
    }

    /** The spec as configured, or empty for always open. */
    @Override
    public String toString() {
        return days == null ? "always open" : spec + " (" + zone + ")";
    }

    /** Days named in the spec, for tests and logs. */
    List<DayOfWeek> openDays() {
        return days == null ? List.of(DayOfWeek.values()) : new ArrayList<>(days.keySet());
    }
}
