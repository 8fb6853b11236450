package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.LogSafe;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the business needs to book the job, as far as the conversation has told it: the customer's name,
 * the service needed, the address or area, how urgent it is and when they would like someone to come.
 *
 * <p>Filled in by the reply generator from the conversation and by staff by hand; a field staff set
 * ({@link #staffEdited()}) is never overwritten by the AI. Each value is a short string or null.
 *
 * @param name          the customer's name, or null
 * @param service       the service needed, e.g. "leaking water heater", or null
 * @param address       the address or area, or null
 * @param urgency       how urgent, e.g. "emergency" or "this week", or null
 * @param preferredTime when they would like someone to come, or null
 * @param staffEdited   the fields staff set by hand, never null
 */
public record Qualification(String name, String service, String address, String urgency, String preferredTime,
                            Set<Field> staffEdited) {

    /** The longest value kept; longer values are cut. */
    public static final int MAX_CHARS = 255;

    /** Nothing known yet. */
    public static final Qualification EMPTY = new Qualification(null, null, null, null, null, Set.of());

    /** One piece of the qualification, with its JSON name. */
    public enum Field {
        NAME("name"), SERVICE("service"), ADDRESS("address"), URGENCY("urgency"), PREFERRED_TIME("preferredTime");

        private final String wireName;

        Field(String wireName) {
            this.wireName = wireName;
        }

        /** The field's name in JSON, e.g. {@code preferredTime}. */
        public String wireName() {
            return wireName;
        }

        /** The field with this JSON name. @throws InvalidRequestException for any other name */
        public static Field fromWire(String name) {
            for (Field f : values()) {
                if (f.wireName.equals(name)) {
                    return f;
                }
            }
            throw new InvalidRequestException("qualification has no field '" + LogSafe.truncate(String.valueOf(name), 40)
                    + "'; the fields are name, service, address, urgency and preferredTime.");
        }
    }

    public Qualification {
        name = clean(name);
        service = clean(service);
        address = clean(address);
        urgency = clean(urgency);
        preferredTime = clean(preferredTime);
        staffEdited = staffEdited == null || staffEdited.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(staffEdited));
    }

    /** The value of one field, or null. */
    public String get(Field field) {
        switch (field) {
            case NAME: return name;
            case SERVICE: return service;
            case ADDRESS: return address;
            case URGENCY: return urgency;
            case PREFERRED_TIME: return preferredTime;
            default: throw new IllegalArgumentException(String.valueOf(field));
        }
    }

    /** Whether the lead is fully qualified: name, service, address and preferred time known (urgency is not needed). */
    public boolean fullyQualified() {
        return name != null && service != null && address != null && preferredTime != null;
    }

    /** The fields still unknown, in the order the AI should ask for them. */
    public List<Field> missing() {
        List<Field> out = new ArrayList<>();
        for (Field f : Field.values()) {
            if (get(f) == null) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * This qualification with {@code values} applied. From staff, every given field is set (null clears it)
     * and marked as staff-edited; from the AI, only non-null values for fields staff have not edited.
     */
    public Qualification merge(Map<Field, String> values, boolean byStaff) {
        Map<Field, String> now = new EnumMap<>(Field.class);
        for (Field f : Field.values()) {
            now.put(f, get(f));
        }
        Set<Field> edited = staffEdited.isEmpty() ? EnumSet.noneOf(Field.class) : EnumSet.copyOf(staffEdited);
        for (Map.Entry<Field, String> e : values.entrySet()) {
            String v = clean(e.getValue());
            if (byStaff) {
                now.put(e.getKey(), v);
                edited.add(e.getKey());
            } else if (v != null && !edited.contains(e.getKey())) {
                now.put(e.getKey(), v);
            }
        }
        return new Qualification(now.get(Field.NAME), now.get(Field.SERVICE), now.get(Field.ADDRESS),
                now.get(Field.URGENCY), now.get(Field.PREFERRED_TIME), edited);
    }

    /** The staff-edited fields as stored: JSON names joined by commas, or null when none. */
    public String staffEditedWire() {
        if (staffEdited.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Field f : Field.values()) {
            if (staffEdited.contains(f)) {
                sb.append(sb.length() == 0 ? "" : ",").append(f.wireName());
            }
        }
        return sb.toString();
    }

    /** Reads {@link #staffEditedWire()} back. */
    public static Set<Field> staffEditedFromWire(String wire) {
        if (wire == null || wire.isBlank()) {
            return Set.of();
        }
        Set<Field> out = EnumSet.noneOf(Field.class);
        for (String part : wire.split(",")) {
            if (!part.isBlank()) {
                out.add(Field.fromWire(part.strip()));
            }
        }
        return out;
    }

    private static String clean(String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip();
        if (s.isEmpty() || s.toLowerCase(Locale.ROOT).equals("null") || s.equalsIgnoreCase("unknown")) {
            return null;
        }
        return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
    }

    @Override
    public String toString() {
        return "Qualification" + Objects.toString(missing()) + " missing";
    }
}
