package dev.frontdesk.sms.spring;

import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.events.EventWebhooks;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.http.StaffAuthorizer;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.micrometer.MicrometerFrontDeskMetrics;
import dev.frontdesk.sms.openai.OpenAiReplyGenerator;
import dev.frontdesk.sms.servlet.FrontDeskServlet;
import dev.frontdesk.sms.spring.internal.AiChoice;
import dev.frontdesk.sms.spring.internal.MountPath;
import dev.frontdesk.sms.spring.internal.SimulatedSmsGateway;
import dev.frontdesk.sms.spring.internal.StartupLogListener;
import dev.frontdesk.sms.twilio.TwilioSmsGateway;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Auto-configures the front desk in a Spring Boot application: {@link FrontDeskConfig} from
 * {@link FrontDeskProperties}, the JDBC store on the application's {@link DataSource}, Twilio (or a simulated
 * gateway without credentials), the built-in OpenAI reply generator (or fallback replies only without a key; a
 * LangChain4j {@code ChatModel} bean instead through {@link FrontDeskLangChain4jAutoConfiguration}), the
 * {@link FrontDesk} with its reply workers started and closed by {@link FrontDeskLifecycle}, the servlet at
 * {@code frontdesk.servlet.path}, Micrometer metrics when a {@code MeterRegistry} bean exists, and with Spring
 * Security a filter chain that opens the servlet's path (and only it) to Twilio.
 *
 * <p>Every bean backs off when the host defines its own of the same type, so any part can be replaced: a
 * {@link LeadRepository}, {@link SmsGateway}, {@link ReplyGenerator} (the seam for other AI providers; an
 * application's LangChain4j {@code ChatModel} bean becomes one through {@link FrontDeskLangChain4jAutoConfiguration},
 * ordered before this one), {@link FrontDeskMetrics}, a {@link StaffAuthorizer} instead of the bearer key,
 * or the {@link FrontDesk} itself. {@code frontdesk.enabled=false} switches all of it off.
 */
@AutoConfiguration(afterName = {
        // the DataSource the store uses
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        // the host's own Flyway runs first (the store's bean waits for it: @DependsOnDatabaseInitialization)
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
        // the MeterRegistry the metrics go to
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        // Spring Boot's default security chains decide whether to exist before ours is defined, so ours never
        // switches them off
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
})
@ConditionalOnProperty(prefix = "frontdesk", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(FrontDeskProperties.class)
public class FrontDeskAutoConfiguration {

    /** Default of {@code frontdesk.reply.shutdown-seconds}. */
    static final int DEFAULT_SHUTDOWN_SECONDS = 20;

    /** Creates the auto-configuration; Spring Boot does. */
    public FrontDeskAutoConfiguration() {
    }

    /**
     * The configuration, from the properties. Its public base URL is {@code frontdesk.public-base-url} (default
     * {@code http://localhost:${server.port}} plus the context path) followed by the servlet's prefix, so the
     * webhook and StatusCallback URLs name the servlet as Twilio reaches it.
     *
     * @throws ConfigurationException naming the variable whose value is malformed
     */
    @Bean
    @ConditionalOnMissingBean
    public FrontDeskConfig frontDeskConfig(FrontDeskProperties properties, Environment environment, ObjectProvider<AiChoice> ai) {
        Map<String, String> variables = properties.toVariables();
        variables.put("PUBLIC_BASE_URL", mountedBaseUrl(properties, environment, null));
        FrontDeskConfig config = FrontDeskConfig.fromEnvironment(variables);
        AiChoice choice = ai.getIfAvailable();
        if (choice == null) {
            return config;
        }
        // a ChatModel bean writes the replies (FrontDeskLangChain4jAutoConfiguration): status and start-up name it
        return config.toBuilder().setup(config.setup().withAi(choice.provider(), choice.model(), true)).build();
    }

    /**
     * The JDBC store on the application's one {@link DataSource}; migrates itself unless
     * {@code frontdesk.store.migrate=false}, with its own scripts and history table
     * ({@link JdbcLeadRepository#MIGRATIONS_LOCATION}, {@link JdbcLeadRepository#SCHEMA_HISTORY_TABLE}), which Spring
     * Boot's Flyway for the host neither sees nor shares. It waits for the host's own database initialisation
     * (Spring Boot's Flyway or Liquibase, SQL scripts): on a fresh database the host's Flyway finds the schema empty,
     * as it requires without a history table, and the store's Flyway then starts its history on the host's tables.
     */
    @Bean
    @DependsOnDatabaseInitialization
    @ConditionalOnMissingBean(LeadRepository.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    public LeadRepository frontDeskLeadRepository(DataSource dataSource, FrontDeskProperties properties) {
        return JdbcLeadRepository.builder(dataSource).migrate(properties.getStore().isMigrate()).build();
    }

    /** Twilio when account SID, auth token and a sender are set; otherwise nothing is sent and replies are stored as simulated. */
    @Bean
    @ConditionalOnMissingBean
    public SmsGateway frontDeskSmsGateway(FrontDeskConfig config, FrontDeskProperties properties) {
        if (config.twilioConfigured()) {
            // The Twilio client reads its own settings (credentials, REST base URL, concurrency); the config holds none.
            return TwilioSmsGateway.Builder.fromEnvironment(properties.toVariables(), config).build();
        }
        return new SimulatedSmsGateway(config.twilio().phoneNumber() == null ? null : config.twilio().phoneNumber().value());
    }

    /**
     * The built-in OpenAI client when {@code frontdesk.openai.api-key} is set; otherwise fallback replies only. Backs
     * off for the application's {@code ReplyGenerator} and for its LangChain4j {@code ChatModel}
     * ({@link FrontDeskLangChain4jAutoConfiguration}, which runs first).
     *
     * @throws ConfigurationException when {@code frontdesk.ai.provider} names another provider: that needs a
     *                                {@code ChatModel} bean (or a {@code ReplyGenerator} bean), and there is none
     */
    @Bean
    @ConditionalOnMissingBean
    public ReplyGenerator frontDeskReplyGenerator(FrontDeskConfig config, FrontDeskProperties properties) {
        String provider = properties.getAi().getProvider();
        if (provider != null && !provider.isBlank() && !provider.strip().toLowerCase(Locale.ROOT).equals("openai")) {
            throw new ConfigurationException("frontdesk.ai.provider=" + provider.strip() + " is not built in: the starter "
                    + "writes replies with OpenAI (or any OpenAI-compatible server at frontdesk.openai.base-url), or with "
                    + "the application's one LangChain4j ChatModel bean, and there is none. Add "
                    + "dev.frontdesk:frontdesk-sms-langchain4j and the provider's LangChain4j module (e.g. "
                    + "dev.langchain4j:langchain4j-anthropic) and define a ChatModel bean, define a ReplyGenerator bean, "
                    + "or remove frontdesk.ai.provider.");
        }
        return config.aiConfigured() ? OpenAiReplyGenerator.Builder.fromEnvironment(properties.toVariables(), config).build()
                : ReplyGenerator.NONE;
    }

    /**
     * The front desk. Started and closed by {@link FrontDeskLifecycle}, not by the bean's destroy method.
     *
     * @throws ConfigurationException when there is no store: no single {@link DataSource} and no {@link LeadRepository} bean
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public FrontDesk frontDesk(FrontDeskConfig config, ObjectProvider<LeadRepository> repository, SmsGateway gateway,
                               ReplyGenerator replyGenerator, ObjectProvider<FrontDeskMetrics> metrics,
                               FrontDeskProperties properties, Environment environment) {
        LeadRepository store = repository.getIfAvailable();
        if (store == null) {
            throw new ConfigurationException("The front desk needs a store: give the application one DataSource "
                    + "(spring-boot-starter-jdbc and a JDBC driver such as H2 or PostgreSQL, spring.datasource.url=...) "
                    + "or define a LeadRepository bean.");
        }
        FrontDeskProperties.Reply reply = properties.getReply();
        FrontDesk.Builder b = FrontDesk.builder().config(config).repository(store).gateway(gateway)
                .replyGenerator(replyGenerator).metrics(metrics.getIfAvailable(() -> FrontDeskMetrics.NONE))
                .shutdownTimeout(shutdownTimeout(reply.getShutdownSeconds(), environment))
                .events(EventWebhooks.fromEnvironment(properties.toVariables()).orElse(null));
        if (reply.getWorkers() != null) {
            b.workers(reply.getWorkers());
        }
        if (reply.getLeaseSeconds() != null) {
            b.lease(Duration.ofSeconds(reply.getLeaseSeconds()));
        }
        return b.build();
    }

    /** Starts the reply workers before the web server takes requests and closes them after it stopped. */
    @Bean
    @ConditionalOnMissingBean
    public FrontDeskLifecycle frontDeskLifecycle(FrontDesk frontDesk) {
        return new FrontDeskLifecycle(frontDesk);
    }

    /** The start-up lines: Twilio's state, the AI, the URLs to paste into Twilio. */
    @Bean
    public StartupLogListener frontDeskStartupLog(FrontDesk frontDesk, FrontDeskProperties properties, Environment environment) {
        boolean publicUrlSet = properties.getPublicBaseUrl() != null && !properties.getPublicBaseUrl().isBlank();
        return new StartupLogListener(() -> {
            FrontDeskConfig config = frontDesk.config();
            String port = environment.getProperty("local.server.port");
            if (publicUrlSet || port == null) {
                return config;
            }
            // the port the server really took (server.port=0 picks one)
            return config.toBuilder().publicBaseUrl(mountedBaseUrl(properties, environment, port)).build();
        }, publicUrlSet);
    }

    /** The shutdown wait: {@code frontdesk.reply.shutdown-seconds} (default 20), within the shutdown phase's timeout less 5 s. */
    static Duration shutdownTimeout(Integer configuredSeconds, Environment environment) {
        Duration wanted = Duration.ofSeconds(configuredSeconds != null ? configuredSeconds : DEFAULT_SHUTDOWN_SECONDS);
        if (wanted.isNegative()) {
            throw new ConfigurationException("frontdesk.reply.shutdown-seconds must be 0 or more, was " + configuredSeconds);
        }
        Duration phase = Binder.get(environment).bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(Duration.ofSeconds(30));
        Duration cap = phase.minusSeconds(5).isNegative() ? Duration.ZERO : phase.minusSeconds(5);
        return wanted.compareTo(cap) <= 0 ? wanted : cap;
    }

    /** {@code frontdesk.public-base-url} (or localhost, the port and the context path) plus the servlet's prefix. */
    static String mountedBaseUrl(FrontDeskProperties properties, Environment environment, String actualPort) {
        String base = properties.getPublicBaseUrl();
        if (base == null || base.isBlank()) {
            String port = actualPort != null ? actualPort : environment.getProperty("server.port", "8080");
            base = "http://localhost:" + port + environment.getProperty("server.servlet.context-path", "");
        }
        base = base.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + MountPath.parse(properties.getServlet().getPath()).prefix();
    }

    /** Metrics through {@code frontdesk-sms-micrometer} when Micrometer is there and the host has a registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "dev.frontdesk.sms.micrometer.MicrometerFrontDeskMetrics"})
    static class MicrometerConfiguration {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
        FrontDeskMetrics frontDeskMetrics(MeterRegistry registry) {
            return new MicrometerFrontDeskMetrics(registry);
        }
    }

    /** The servlet, registered at {@code frontdesk.servlet.path}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.servlet.http.HttpServlet")
    static class ServletConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "frontDeskServletRegistration")
        ServletRegistrationBean<FrontDeskServlet> frontDeskServletRegistration(FrontDesk frontDesk, FrontDeskProperties properties,
                                                                               ObjectProvider<StaffAuthorizer> authorizer) {
            MountPath mount = MountPath.parse(properties.getServlet().getPath());
            FrontDeskServlet.Builder servlet = FrontDeskServlet.builder(frontDesk)
                    .signingToken(properties.getTwilio().getAuthToken())
                    .publicBaseUrl(frontDesk.config().twilio().publicBaseUrl())
                    .trustForwardedHeaders(properties.getServlet().isTrustForwardedHeaders());
            StaffAuthorizer custom = authorizer.getIfAvailable();
            if (custom != null) {
                servlet.authorizer(custom);
            } else if (properties.getApiKey() != null && !properties.getApiKey().isBlank()) {
                servlet.apiKey(properties.getApiKey());
            }
            ServletRegistrationBean<FrontDeskServlet> registration = new ServletRegistrationBean<>(servlet.build(), mount.mapping());
            registration.setName("frontdesk-sms");
            registration.setLoadOnStartup(1);
            return registration;
        }
    }

    /**
     * With Spring Security: a chain for the servlet's path only, ahead of the host's, without CSRF and open to all
     * (Twilio cannot log in or send a CSRF token; the servlet checks Twilio's signatures and the staff key itself).
     * Every other path keeps the host's chains, and Spring Boot's default chain still exists when the host has none.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"org.springframework.security.web.SecurityFilterChain",
            "org.springframework.security.config.annotation.web.builders.HttpSecurity"})
    @ConditionalOnBean(type = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
    static class SecurityConfiguration {
        /** Ahead of the host's chains, which match everything else. */
        static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

        @Bean
        @Order(ORDER)
        @ConditionalOnMissingBean(name = "frontDeskSecurityFilterChain")
        SecurityFilterChain frontDeskSecurityFilterChain(HttpSecurity http, FrontDeskProperties properties) throws Exception {
            MountPath mount = MountPath.parse(properties.getServlet().getPath());
            http.securityMatcher(request -> mount.covers(pathWithinApplication(request)))
                    .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable())
                    .requestCache(cache -> cache.disable())
                    .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
            return http.build();
        }

        private static String pathWithinApplication(HttpServletRequest request) {
            String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
            String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
            return servletPath + pathInfo;
        }
    }
}
