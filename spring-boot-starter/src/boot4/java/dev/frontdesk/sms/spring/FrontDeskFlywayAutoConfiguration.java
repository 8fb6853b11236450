package dev.frontdesk.sms.spring;

import dev.frontdesk.sms.spring.internal.HostFlyway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;

/**
 * When Spring Boot runs Flyway for the host, the store's migrations ({@code classpath:db/migration/frontdesk}) run
 * in it, in the host's history table, and the store does not migrate on its own: Boot's default location
 * {@code classpath:db/migration} already reaches the store's scripts, so two Flyways would apply them twice. Off
 * with {@code frontdesk.store.migrate=false} (the host then lists the location itself).
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer")
@ConditionalOnProperty(prefix = "frontdesk", name = {"enabled", "store.migrate"}, havingValue = "true", matchIfMissing = true)
public class FrontDeskFlywayAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does. */
    public FrontDeskFlywayAutoConfiguration() {
    }

    /** Adds the store's location to the host's Flyway unless its locations already cover it. */
    @Bean
    FlywayConfigurationCustomizer frontDeskFlywayLocations() {
        return HostFlyway::includeStoreMigrations;
    }
}
