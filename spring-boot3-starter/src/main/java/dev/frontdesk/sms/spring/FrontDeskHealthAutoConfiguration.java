package dev.frontdesk.sms.spring;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.spring.internal.StoreHealth;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code frontdesk} health contributor (Spring Boot 3.5): up while the store answers, with the reply queue's
 * depth as a detail. Present when Actuator is on the class path; {@code management.health.frontdesk.enabled=false} removes it.
 */
@AutoConfiguration(after = FrontDeskAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
        "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
@ConditionalOnBean(FrontDesk.class)
public class FrontDeskHealthAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does. */
    public FrontDeskHealthAutoConfiguration() {
    }

    /** Nested, so the health condition is only read when Actuator's classes are there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("frontdesk")
    static class Contributor {
        /** The contributor; its bean name makes it {@code frontdesk} in {@code /actuator/health}. */
        @Bean
        @ConditionalOnMissingBean(name = "frontdeskHealthIndicator")
        HealthIndicator frontdeskHealthIndicator(FrontDesk frontDesk) {
            StoreHealth health = new StoreHealth(frontDesk);
            return () -> {
                StoreHealth.Result result = health.check();
                return (result.up() ? Health.up() : Health.down()).withDetails(result.details()).build();
            };
        }
    }
}
