package dev.frontdesk.sms.spring.internal;

import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * When Spring Boot runs the host's Flyway, the store's migrations run in it: Boot scans {@code classpath:db/migration}
 * with its subfolders, where the store's scripts live ({@code db/migration/frontdesk}), so a second Flyway of the
 * store's own would find its tables already there. This adds the store's location to the host's Flyway when its
 * locations do not cover it yet; the store itself then does not migrate.
 */
public final class HostFlyway {
    private static final String STORE_PATH = "db/migration/frontdesk";

    private HostFlyway() {
    }

    /** Adds {@link JdbcLeadRepository#MIGRATIONS_LOCATION} to {@code configuration} unless a classpath location covers it. */
    public static void includeStoreMigrations(FluentConfiguration configuration) {
        List<String> locations = new ArrayList<>();
        for (Location location : configuration.getLocations()) {
            if (location.isClassPath() && covers(location.getPath())) {
                return;
            }
            locations.add(location.getDescriptor());
        }
        locations.add(JdbcLeadRepository.MIGRATIONS_LOCATION);
        configuration.locations(locations.toArray(String[]::new));
    }

    private static boolean covers(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.isEmpty() || STORE_PATH.equals(p) || STORE_PATH.startsWith(p + "/");
    }
}
