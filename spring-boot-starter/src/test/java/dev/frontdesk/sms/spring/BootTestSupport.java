package dev.frontdesk.sms.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;

/**
 * What the tests need that differs between Spring Boot lines, found by name so one test source runs on Boot 3.5
 * and Boot 4: Spring Boot's own auto-configurations, and the packages a FilteredClassLoader hides.
 */
final class BootTestSupport {
    /** Actuator's health support: Boot 4 and Boot 3 packages. */
    static final String[] HEALTH_PACKAGES = {"org.springframework.boot.health", "org.springframework.boot.actuate"};

    private BootTestSupport() {
    }

    /** Those of the named classes that exist on this Boot line, as auto-configurations. */
    static AutoConfigurations existing(String... names) {
        List<Class<?>> found = new ArrayList<>();
        for (String name : names) {
            try {
                found.add(Class.forName(name, false, BootTestSupport.class.getClassLoader()));
            } catch (ClassNotFoundException notOnThisLine) {
                // the other Boot line's name
            }
        }
        return AutoConfigurations.of(found.toArray(Class<?>[]::new));
    }

    /** Spring Security's servlet auto-configuration (the default chain included), on either line. */
    static AutoConfigurations security() {
        return existing(
                "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
                "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
                "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration");
    }

    /** A fresh in-memory H2 database. */
    static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }
}
