package dev.frontdesk.sms.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.micrometer.MicrometerFrontDeskMetrics;
import dev.frontdesk.sms.openai.OpenAiReplyGenerator;
import dev.frontdesk.sms.servlet.FrontDeskServlet;
import dev.frontdesk.sms.spring.internal.SimulatedSmsGateway;
import dev.frontdesk.sms.twilio.TwilioSmsGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.security.web.SecurityFilterChain;

class FrontDeskAutoConfigurationTest {
    private static final String[] TWILIO = {
            "frontdesk.twilio.account-sid=AC0123456789abcdef0123456789abcdef",
            "frontdesk.twilio.auth-token=test-auth-token",
            "frontdesk.twilio.phone-number=+15557654321"};

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FrontDeskAutoConfiguration.class, FrontDeskLangChain4jAutoConfiguration.class,
                    FrontDeskHealthAutoConfiguration.class))
            .withBean(DataSource.class, BootTestSupport::h2);

    @Test
    void withoutCredentialsRepliesAreSimulatedAndFallbackOnly() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(SmsGateway.class)).isInstanceOf(SimulatedSmsGateway.class);
            assertThat(ctx.getBean(ReplyGenerator.class)).isSameAs(ReplyGenerator.NONE);
            assertThat(ctx.getBean(LeadRepository.class)).isInstanceOf(JdbcLeadRepository.class);
            assertThat(ctx).hasSingleBean(FrontDesk.class);
            assertThat(ctx.getBean(FrontDeskConfig.class).twilio().publicBaseUrl()).isEqualTo("http://localhost:8080/sms");
        });
    }

    @Test
    void withCredentialsTwilioAndOpenAiAreUsed() {
        runner.withPropertyValues(TWILIO).withPropertyValues("frontdesk.openai.api-key=sk-test").run(ctx -> {
            assertThat(ctx.getBean(SmsGateway.class)).isInstanceOf(TwilioSmsGateway.class);
            assertThat(ctx.getBean(ReplyGenerator.class)).isInstanceOf(OpenAiReplyGenerator.class);
            FrontDeskConfig config = ctx.getBean(FrontDeskConfig.class);
            assertThat(config.twilioConfigured()).isTrue();
            assertThat(config.twilio().testMode()).isTrue();
        });
    }

    @Test
    void aBlankPropertyCountsAsUnset() {
        runner.withPropertyValues(TWILIO).withPropertyValues("frontdesk.twilio.account-sid=  ", "frontdesk.openai.api-key=",
                "frontdesk.reply.workers=").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(FrontDeskConfig.class).missingTwilioVariables()).containsExactly("TWILIO_ACCOUNT_SID");
            assertThat(ctx.getBean(SmsGateway.class)).isInstanceOf(SimulatedSmsGateway.class);
            assertThat(ctx.getBean(ReplyGenerator.class)).isSameAs(ReplyGenerator.NONE);
        });
    }

    @Test
    void environmentVariablesBindThroughRelaxedBinding() {
        runner.withInitializer(ctx -> ctx.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                                "FRONTDESK_TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef",
                                "FRONTDESK_TWILIO_AUTH_TOKEN", "token-from-the-environment",
                                "FRONTDESK_TWILIO_PHONE_NUMBER", "+15557654321",
                                "FRONTDESK_PUBLIC_BASE_URL", "https://abc123.ngrok.app"))))
                .run(ctx -> {
                    FrontDeskConfig config = ctx.getBean(FrontDeskConfig.class);
                    assertThat(ctx.getBean(FrontDeskProperties.class).getTwilio().getAuthToken()).isEqualTo("token-from-the-environment");
                    assertThat(config.toString()).as("the front desk's configuration holds no secret")
                            .doesNotContain("token-from-the-environment");
                    assertThat(config.twilioConfigured()).isTrue();
                    assertThat(config.inboundWebhookUrl()).isEqualTo("https://abc123.ngrok.app/sms/api/twilio/sms/inbound");
                });
    }

    @Test
    void theServletIsRegisteredAtTheConfiguredPathAndTheWebhookUrlsNameIt() {
        runner.withPropertyValues("frontdesk.servlet.path=/twilio/*", "frontdesk.public-base-url=https://example.com/")
                .run(ctx -> {
                    ServletRegistrationBean<?> registration = ctx.getBean("frontDeskServletRegistration", ServletRegistrationBean.class);
                    assertThat(registration.getServlet()).isInstanceOf(FrontDeskServlet.class);
                    assertThat(registration.getUrlMappings()).containsExactly("/twilio/*");
                    FrontDeskConfig config = ctx.getBean(FrontDeskConfig.class);
                    assertThat(config.inboundWebhookUrl()).isEqualTo("https://example.com/twilio/api/twilio/sms/inbound");
                    assertThat(config.statusCallbackUrl()).isEqualTo("https://example.com/twilio/api/twilio/sms/status");
                    assertThat(((FrontDeskServlet) registration.getServlet()).handler().publicBaseUrl()).isEqualTo("https://example.com/twilio");
                });
    }

    @Test
    void anEventsUrlWithoutItsSecretStopsTheStartNamingTheSecret() {
        runner.withPropertyValues("frontdesk.events.webhook-url=https://crm.example.com/hooks").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("EVENTS_WEBHOOK_SECRET is required when EVENTS_WEBHOOK_URL is set");
        });
    }

    @Test
    void eventPropertiesGiveTheFrontDeskEventWebhooksOnTheJdbcStore() {
        runner.withPropertyValues("frontdesk.events.webhook-url=https://crm.example.com/hooks",
                "frontdesk.events.webhook-secret=whsec_boot").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(dev.frontdesk.sms.LeadRepository.class).events().enabled()).isTrue();
        });
    }

    @Test
    void followUpHoursReachTheFrontDeskAndAMalformedValueStopsTheStartNamingIt() {
        runner.withPropertyValues("frontdesk.follow-up-hours=0.5").run(ctx ->
                assertThat(ctx.getBean(FrontDeskConfig.class).replies().followUpAfter()).isEqualTo(java.time.Duration.ofMinutes(30)));
        runner.run(ctx -> assertThat(ctx.getBean(FrontDeskConfig.class).replies().followUpAfter()).as("default: never").isZero());
        runner.withPropertyValues("frontdesk.follow-up-hours=tomorrow").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(ConfigurationException.class).hasMessageContaining("FOLLOW_UP_HOURS");
        });
    }

    @Test
    void aMalformedServletPathStopsTheStartWithTheProperty() {
        runner.withPropertyValues("frontdesk.servlet.path=/sms/**/x").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(ConfigurationException.class).hasMessageContaining("frontdesk.servlet.path");
        });
    }

    @Test
    void theHostsOwnBeansWin() {
        SmsGateway gateway = new SimulatedSmsGateway("+15550000000");
        ReplyGenerator generator = request -> {
            throw new UnsupportedOperationException();
        };
        InMemoryLeadRepository store = new InMemoryLeadRepository();
        java.util.List<String> webhooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        FrontDeskMetrics metrics = new FrontDeskMetrics() {
            @Override
            public void webhookReceived(String kind) {
                webhooks.add(kind);
            }
        };
        runner.withPropertyValues(TWILIO)
                .withBean(SmsGateway.class, () -> gateway)
                .withBean(ReplyGenerator.class, () -> generator)
                .withBean(LeadRepository.class, () -> store)
                .withBean(FrontDeskMetrics.class, () -> metrics)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> {
                    assertThat(ctx.getBean(SmsGateway.class)).isSameAs(gateway);
                    assertThat(ctx.getBean(ReplyGenerator.class)).isSameAs(generator);
                    assertThat(ctx.getBean(LeadRepository.class)).isSameAs(store);
                    assertThat(ctx.getBean(FrontDeskMetrics.class)).isSameAs(metrics);
                    FrontDesk desk = ctx.getBean(FrontDesk.class);
                    store.leads().findOrCreateLead(new PhoneNumber("+15551234567"), Lead.SOURCE_MANUAL, desk.now());
                    assertThat(desk.leads(null, 10)).as("the front desk reads the host's store")
                            .extracting(l -> l.phoneNumber().value()).containsExactly("+15551234567");
                    desk.webhookReceived("sms");
                    assertThat(webhooks).as("the front desk reports to the host's metrics").containsExactly("sms");
                });
    }

    @Test
    void aHostsFrontDeskConfigWins() {
        FrontDeskConfig own = FrontDeskConfig.builder().businessName("Host's own").publicBaseUrl("https://host.example").build();
        runner.withBean(FrontDeskConfig.class, () -> own).run(ctx -> {
            assertThat(ctx.getBean(FrontDeskConfig.class)).isSameAs(own);
            assertThat(ctx.getBean(FrontDesk.class).config()).isSameAs(own);
        });
    }

    @Test
    void enabledFalseSwitchesEverythingOff() {
        runner.withPropertyValues(TWILIO).withPropertyValues("frontdesk.enabled=false").withConfiguration(BootTestSupport.security())
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).doesNotHaveBean(FrontDeskConfig.class);
                    assertThat(ctx).doesNotHaveBean(FrontDesk.class);
                    assertThat(ctx).doesNotHaveBean(LeadRepository.class);
                    assertThat(ctx).doesNotHaveBean(SmsGateway.class);
                    assertThat(ctx).doesNotHaveBean(FrontDeskLifecycle.class);
                    assertThat(ctx).doesNotHaveBean("frontDeskServletRegistration");
                    assertThat(ctx).doesNotHaveBean("frontdeskHealthIndicator");
                    assertThat(ctx).doesNotHaveBean("frontDeskSecurityFilterChain");
                });
    }

    @Test
    void migrationsRunByDefaultAndNotWhenTheHostRunsThem() {
        runner.run(ctx -> assertThat(tables(ctx.getBean(DataSource.class))).contains("LEADS", "FRONTDESK_SCHEMA_HISTORY"));
        runner.withPropertyValues("frontdesk.store.migrate=false")
                .run(ctx -> assertThat(tables(ctx.getBean(DataSource.class))).doesNotContain("LEADS", "FRONTDESK_SCHEMA_HISTORY"));
    }

    @Test
    void aHostWithItsOwnV1OnBootsFlywayStartsAndTheHistoriesStayApart() {
        // the host's V1__host.sql is at Boot's default location (test resources), and a bean of its own needs the store;
        // one named database, started twice
        String url = "jdbc:h2:mem:host-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        WebApplicationContextRunner host = new WebApplicationContextRunner()
                .withConfiguration(BootTestSupport.existing(
                        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration"))
                .withConfiguration(AutoConfigurations.of(FrontDeskAutoConfiguration.class))
                .withUserConfiguration(HostServiceUsingTheStore.class)
                .withBean(DataSource.class, () -> {
                    org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
                    ds.setURL(url);
                    return ds;
                });
        for (int start = 1; start <= 2; start++) {
            host.run(ctx -> {
                assertThat(ctx).hasNotFailed();
                assertThat(ctx.getBean(LeadRepository.class)).isInstanceOf(JdbcLeadRepository.class);
                assertThat(ctx.getBean(FrontDesk.class).health().available()).isTrue();
                DataSource ds = ctx.getBean(DataSource.class);
                assertThat(tables(ds)).contains("HOST_INVOICES", "FLYWAY_SCHEMA_HISTORY", "LEADS", "MESSAGES", "REPLY_JOBS",
                        "FRONTDESK_SCHEMA_HISTORY");
                assertThat(versions(ds, "flyway_schema_history")).containsExactly("1");
                assertThat(versions(ds, JdbcLeadRepository.SCHEMA_HISTORY_TABLE)).isEqualTo(storeVersions());
            });
        }
    }

    /** A bean of the host's that needs the store, created before any auto-configured bean unless ordered. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class HostServiceUsingTheStore {
        @org.springframework.context.annotation.Bean
        java.util.function.Supplier<LeadRepository> hostServiceUsingTheStore(LeadRepository store) {
            return () -> store;
        }
    }

    /** The versions a Flyway history table records as applied (not its baseline). */
    private static java.util.List<String> versions(DataSource ds, String table) throws Exception {
        java.util.List<String> versions = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT \"version\" FROM \""
                + table + "\" WHERE \"success\" AND \"version\" IS NOT NULL AND \"type\" <> 'BASELINE' ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    /** The versions of the store's own scripts, as Flyway finds them at the store's location. */
    private static java.util.List<String> storeVersions() {
        return java.util.Arrays.stream(org.flywaydb.core.Flyway.configure().dataSource(BootTestSupport.h2())
                        .locations(JdbcLeadRepository.MIGRATIONS_LOCATION).load().info().pending())
                .map(m -> m.getVersion().getVersion()).toList();
    }

    @Test
    void withoutADataSourceTheStartFailsNamingWhatToAdd() {
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(FrontDeskAutoConfiguration.class)).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("DataSource").hasMessageContaining("LeadRepository bean");
        });
    }

    @Test
    void anUnknownAiProviderIsRefusedWithTheProperty() {
        runner.withPropertyValues("frontdesk.ai.provider=anthropic").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("frontdesk.ai.provider=anthropic")
                    .hasMessageContaining("ChatModel bean").hasMessageContaining("frontdesk-sms-langchain4j");
        });
    }

    @Test
    void metricsGoToTheHostsMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
            assertThat(ctx.getBean(FrontDeskMetrics.class)).isInstanceOf(MicrometerFrontDeskMetrics.class);
            ctx.getBean(FrontDesk.class).webhookReceived("sms");
            assertThat(ctx.getBean(MeterRegistry.class).find("frontdesk.webhooks.received").tag("kind", "sms").counter())
                    .as("the front desk reports to the host's registry").isNotNull()
                    .satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
            assertThat(ctx.getBean(MeterRegistry.class).find("frontdesk.queue.depth").gauge()).isNotNull();
        });
    }

    @Test
    void withoutAMeterRegistryNothingIsRecorded() {
        runner.run(ctx -> {
            assertThat(ctx).doesNotHaveBean(FrontDeskMetrics.class);
            ctx.getBean(FrontDesk.class).webhookReceived("sms"); // goes to FrontDeskMetrics.NONE: recorded nowhere, no failure
        });
    }

    @Test
    void withoutMicrometerOnTheClassPathTheFrontDeskStillStarts() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(FrontDeskMetrics.class);
            assertThat(ctx).hasSingleBean(FrontDesk.class);
        });
    }

    @Test
    void theHealthContributorReportsTheStoreAndTheQueueDepth() {
        runner.run(ctx -> {
            Object indicator = ctx.getBean("frontdeskHealthIndicator");
            Object health = indicator.getClass().getMethod("health").invoke(indicator);
            Object status = health.getClass().getMethod("getStatus").invoke(health);
            assertThat(status.getClass().getMethod("getCode").invoke(status)).isEqualTo("UP");
            Method details = health.getClass().getMethod("getDetails");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) details.invoke(health);
            assertThat(map).containsEntry("replyQueueDepth", 0L).containsEntry("twilio", "simulated");
        });
    }

    @Test
    void withoutActuatorThereIsNoHealthContributor() {
        runner.withClassLoader(new FilteredClassLoader(BootTestSupport.HEALTH_PACKAGES)).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean("frontdeskHealthIndicator");
            assertThat(ctx).hasSingleBean(FrontDesk.class);
        });
    }

    @Test
    void withSpringSecurityTheServletsChainComesBesideBootsDefaultChain() {
        runner.withConfiguration(BootTestSupport.security()).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).hasBean("frontDeskSecurityFilterChain");
            // Boot's default chain (everything authenticated) is still there for the rest of the app
            assertThat(ctx.getBeansOfType(SecurityFilterChain.class)).hasSize(2);
        });
    }

    @Test
    void withoutSpringSecurityThereIsNoChain() {
        runner.withConfiguration(BootTestSupport.security()).withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).doesNotHaveBean("frontDeskSecurityFilterChain");
                    assertThat(ctx).hasSingleBean(FrontDesk.class);
                });
    }

    @Test
    void theLifecycleStartsTheWorkersWithTheContextAndClosesThemWithIt() {
        runner.run(ctx -> {
            FrontDeskLifecycle lifecycle = ctx.getBean(FrontDeskLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            ctx.close();
            assertThat(lifecycle.isRunning()).isFalse();
        });
    }

    @Test
    void theShutdownWaitStaysWithinTheShutdownPhase() {
        runner.withPropertyValues("frontdesk.reply.shutdown-seconds=60", "spring.lifecycle.timeout-per-shutdown-phase=15s")
                .run(ctx -> assertThat(FrontDeskAutoConfiguration.shutdownTimeout(60, ctx.getEnvironment())).hasSeconds(10));
        runner.run(ctx -> assertThat(FrontDeskAutoConfiguration.shutdownTimeout(null, ctx.getEnvironment())).hasSeconds(20));
    }

    @Test
    void withoutAWebApplicationNoServletIsRegistered() {
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FrontDeskAutoConfiguration.class))
                .withBean(DataSource.class, BootTestSupport::h2)
                .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(new MapPropertySource("t", Map.of())))
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(FrontDesk.class);
                    assertThat(ctx).doesNotHaveBean("frontDeskServletRegistration");
                });
    }

    private static java.util.List<String> tables(DataSource ds) throws Exception {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[]{"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toUpperCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }
}
