package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.BusinessProfile;
import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.InvalidPhoneNumberException;
import dev.frontdesk.sms.PhoneNumber;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and checks environment variables for the front desk's configuration and for each client's builder
 * (Twilio, OpenAI, the example app): blank counts as unset, and a malformed value is a
 * {@link ConfigurationException} whose message names the variable and says what it must look like.
 * Thread-safe if the map is.
 */
public final class EnvReader {
    private final Map<String, String> env;

    public EnvReader(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    public String get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    public String getOr(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    public boolean bool(String name, boolean fallback) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true": case "1": case "yes": case "on":
                return true;
            case "false": case "0": case "no": case "off":
                return false;
            default:
                throw new ConfigurationException(name + " must be true or false, was '" + LogSafe.truncate(v, 20) + "'.");
        }
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new ConfigurationException(name + " must be between " + min + " and " + max + ", was " + n + ".");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " must be a whole number, was '" + LogSafe.truncate(v, 20) + "'.");
        }
    }

    public String url(String name, String fallback) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.startsWith("http://") && !v.startsWith("https://")) {
            throw new ConfigurationException(name + " must be an http:// or https:// URL, was '" + LogSafe.truncate(v, 60) + "'.");
        }
        return v;
    }

    public ZoneId zone(String name) {
        String v = get(name);
        if (v == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(v);
        } catch (java.time.DateTimeException e) {
            throw new ConfigurationException(name + " must be a time zone like America/Chicago, was '" + LogSafe.truncate(v, 40) + "'.");
        }
    }

    /** Comma-separated ISO 3166 regions, upper-cased; empty when unset. */
    public Set<String> regions(String name, java.util.function.BiConsumer<String, Set<String>> regionCheck) {
        String v = get(name);
        if (v == null) {
            return Set.of();
        }
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip().toUpperCase(Locale.ROOT));
            }
        }
        regionCheck.accept(name, out);
        return out;
    }

    public Double temperature(String name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            double t = Double.parseDouble(v);
            if (t >= 0 && t <= 2) {
                return t;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ConfigurationException(name + " must be a number between 0 and 2 like 0.4 (or unset to send none), was '"
                + LogSafe.truncate(v, 20) + "'.");
    }

    /** A number of hours, decimals allowed ({@code 0.01}), from 0 to {@code max}; zero when unset. */
    public java.time.Duration hours(String name, int max) {
        String v = get(name);
        if (v == null) {
            return java.time.Duration.ZERO;
        }
        try {
            BigDecimal h = new BigDecimal(v);
            if (h.signum() >= 0 && h.compareTo(BigDecimal.valueOf(max)) <= 0) {
                return java.time.Duration.ofNanos(h.multiply(BigDecimal.valueOf(3_600_000_000_000L)).longValue());
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ConfigurationException(name + " must be a number of hours from 0 to " + max + " like 24 or 0.5 (0: never), was '"
                + LogSafe.truncate(v, 20) + "'.");
    }

    public BigDecimal money(String name, BigDecimal fallback) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            BigDecimal d = new BigDecimal(v);
            if (d.signum() < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " must be an amount in US dollars like 0.0075, was '" + LogSafe.truncate(v, 20) + "'.");
        }
    }

    /** {@code {"+15550001111": {"name": "Ace Plumbing", "profile": "..."}, ...}} */
    public Map<String, BusinessProfile> profiles(String name, String region) {
        String v = get(name);
        if (v == null) {
            return Map.of();
        }
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(v);
        } catch (java.io.IOException e) {
            root = null;
        }
        String shape = name + " must be a JSON object like {\"+15550001111\": {\"name\": \"Ace Plumbing\", \"profile\": \"...\"}}";
        if (root == null || !root.isObject()) {
            throw new ConfigurationException(shape + ".");
        }
        Map<String, BusinessProfile> out = new LinkedHashMap<>();
        var fields = root.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            PhoneNumber number = phone(name, e.getKey(), region);
            var entry = e.getValue();
            if (!entry.isObject() || !entry.path("name").isTextual() || entry.path("name").asText().isBlank()
                    || !(entry.path("profile").isMissingNode() || entry.path("profile").isTextual())) {
                throw new ConfigurationException(shape + "; the entry for " + number.value() + " needs a \"name\" string.");
            }
            out.put(number.value(), new BusinessProfile(entry.get("name").asText().strip(),
                    entry.path("profile").asText(""), number.value()));
        }
        return out;
    }

    public PhoneNumber phone(String name, String value, String region) {
        try {
            return PhoneNumber.parse(value, region);
        } catch (InvalidPhoneNumberException e) {
            throw new ConfigurationException(name + " must hold E.164 phone numbers like +15551234567: " + e.getMessage());
        }
    }
}

