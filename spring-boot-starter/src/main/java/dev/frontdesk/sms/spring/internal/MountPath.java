package dev.frontdesk.sms.spring.internal;

import dev.frontdesk.sms.ConfigurationException;
import java.util.regex.Pattern;

/**
 * The servlet's mapping ({@code frontdesk.servlet.path}): {@code /*} or {@code /prefix/*}, with the prefix
 * that the public base URL gets and the patterns the security chain matches.
 */
public record MountPath(String mapping, String prefix) {
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)*");

    public MountPath {
        if (!PREFIX.matcher(prefix).matches() || !mapping.equals(prefix + "/*")) {
            throw new ConfigurationException("frontdesk.servlet.path must look like /sms/* or /*, was '" + mapping + "'.");
        }
    }

    /** Parses {@code /sms/*}, {@code /sms/} or {@code /sms} (all the same), or {@code /*}. */
    public static MountPath parse(String raw) {
        String s = raw == null || raw.isBlank() ? "/sms/*" : raw.strip();
        if (s.equals("/") || s.equals("/*")) {
            return new MountPath("/*", "");
        }
        String prefix = s.endsWith("/*") ? s.substring(0, s.length() - 2) : s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        return new MountPath(prefix + "/*", prefix);
    }

    /**
     * Whether a request path within the application (servlet path plus path info, as the container decoded and
     * normalised it) is the servlet's. Mounted at the root, only the library's own {@code /api/...} paths count, so
     * the rest of the host keeps its security rules.
     */
    public boolean covers(String pathWithinApplication) {
        String p = pathWithinApplication == null ? "" : pathWithinApplication;
        if (prefix.isEmpty()) {
            return p.startsWith("/api/");
        }
        return p.equals(prefix) || p.startsWith(prefix + "/");
    }
}
