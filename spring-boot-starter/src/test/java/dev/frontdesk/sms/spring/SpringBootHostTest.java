package dev.frontdesk.sms.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real Spring Boot host on a random port (embedded Tomcat, H2 through Boot's DataSource, Actuator, Spring
 * Security with the host's own chain): a signed webhook becomes a lead and is answered through Twilio and OpenAI,
 * both on MockWebServer; health shows {@code frontdesk}; the host's other paths keep the host's security rules.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = SpringBootHostTest.HostApp.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:boot-host;DB_CLOSE_DELAY=-1",
        "frontdesk.twilio.account-sid=" + SpringBootHostTest.ACCOUNT,
        "frontdesk.twilio.auth-token=" + SpringBootHostTest.AUTH_TOKEN,
        "frontdesk.twilio.phone-number=" + SpringBootHostTest.BUSINESS,
        "frontdesk.twilio.verified-numbers=" + SpringBootHostTest.CUSTOMER,
        "frontdesk.public-base-url=" + SpringBootHostTest.PUBLIC_URL,
        "frontdesk.api-key=staff-key",
        "frontdesk.openai.api-key=sk-test",
        "frontdesk.business.name=Acme Plumbing",
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always",
})
@ExtendWith(OutputCaptureExtension.class)
class SpringBootHostTest {
    static final String ACCOUNT = FakeTwilio.ACCOUNT;
    static final String AUTH_TOKEN = FakeTwilio.AUTH_TOKEN;
    static final String BUSINESS = FakeTwilio.BUSINESS;
    static final String CUSTOMER = FakeTwilio.CUSTOMER;
    static final String PUBLIC_URL = FakeTwilio.PUBLIC_URL;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeTwilio TWILIO = new FakeTwilio();
    private static final MockWebServer OPENAI = new MockWebServer();

    static {
        OPENAI.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setHeader("Content-Type", "application/json").setBody(FakeTwilio.fixture("mocks/openai-chat-completion.json"));
            }
        });
        try {
            OPENAI.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void mocks(DynamicPropertyRegistry registry) {
        registry.add("frontdesk.twilio.api-base-url", TWILIO::apiBaseUrl);
        registry.add("frontdesk.openai.base-url", () -> OPENAI.url("/v1").toString());
    }

    @AfterAll
    static void stopMocks() throws IOException {
        TWILIO.shutdown();
        OPENAI.shutdown();
    }

    /** The host: its own security chain (HTTP Basic, CSRF on) and one controller of its own. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HostApp {
        @Bean
        SecurityFilterChain hostChain(HttpSecurity http) throws Exception {
            http.authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/**").permitAll().anyRequest().authenticated())
                    .httpBasic(Customizer.withDefaults());
            return http.build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(User.withUsername("host").password("{noop}host-pw").roles("USER").build());
        }

        @Bean
        HostController hostController() {
            return new HostController();
        }
    }

    @RestController
    static class HostController {
        @GetMapping("/host/hello")
        String hello() {
            return "hello";
        }

        @PostMapping("/host/hello")
        String post() {
            return "posted";
        }
    }

    @Autowired
    Environment environment;
    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aSignedWebhookBecomesALeadAndIsAnsweredThroughTwilioAndOpenAi() throws Exception {
        HttpResponse<String> ack = TWILIO.text(port(), "SM" + "a".repeat(32), "My water heater is leaking");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(ack.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");

        Map<String, String> reply = TWILIO.awaitSent(Duration.ofSeconds(30));
        assertThat(reply).as("a reply sent to Twilio within 30 s").isNotNull();
        assertThat(reply.get("To")).isEqualTo(CUSTOMER);
        assertThat(reply.get("Body")).isEqualTo("Sorry to hear about the plumbing trouble! What's your address, and when could we stop by?");
        assertThat(reply.get("StatusCallback")).isEqualTo(PUBLIC_URL + "/sms/api/twilio/sms/status");
        assertThat(OPENAI.getRequestCount()).isGreaterThanOrEqualTo(1);

        HttpResponse<String> leads = http.send(HttpRequest.newBuilder(local("/sms/api/leads"))
                .header("Authorization", "Bearer staff-key").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(leads.statusCode()).isEqualTo(200);
        JsonNode lead = JSON.readTree(leads.body()).path("leads").get(0);
        assertThat(lead.path("phoneNumber").asText()).isEqualTo(CUSTOMER);
        HttpResponse<String> history = http.send(HttpRequest.newBuilder(local("/sms/api/leads/" + lead.path("id").asLong() + "/sms"))
                .header("Authorization", "Bearer staff-key").GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode messages = JSON.readTree(history.body()).path("messages");
        assertThat(messages.get(0).path("direction").asText()).isEqualTo("inbound");
        assertThat(messages.get(0).path("body").asText()).isEqualTo("My water heater is leaking");
    }

    @Test
    void anUnsignedWebhookIsRefusedByTheServletNotBySpringSecurity() throws Exception {
        Map<String, String> form = Map.of("MessageSid", "SM" + "b".repeat(32), "From", CUSTOMER, "To", BUSINESS, "Body", "hi");
        HttpResponse<String> refused = TWILIO.post(port(), FakeTwilio.INBOUND_PATH, form, "bm90IGEgc2lnbmF0dXJl");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("invalid_signature");
    }

    @Test
    void theHostsOtherPathsKeepTheHostsSecurityRules() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(local("/host/hello")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        String basic = "Basic " + Base64.getEncoder().encodeToString("host:host-pw".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> loggedIn = http.send(HttpRequest.newBuilder(local("/host/hello")).header("Authorization", basic).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).isEqualTo(200);
        // CSRF still guards the host's own POSTs (refused before the login is even looked at)
        HttpResponse<String> noCsrf = http.send(HttpRequest.newBuilder(local("/host/hello")).header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noCsrf.statusCode()).isIn(401, 403);
        assertThat(noCsrf.body()).doesNotContain("posted");
        // a path that only starts like the servlet's is not opened
        HttpResponse<String> lookalike = http.send(HttpRequest.newBuilder(local("/smsx/api/leads")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(lookalike.statusCode()).isEqualTo(401);
    }

    @Test
    void actuatorHealthShowsTheFrontDesk() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(local("/actuator/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode frontdesk = JSON.readTree(health.body()).path("components").path("frontdesk");
        assertThat(frontdesk.path("status").asText()).isEqualTo("UP");
        assertThat(frontdesk.path("details").has("replyQueueDepth")).isTrue();
        assertThat(frontdesk.path("details").path("twilio").asText()).isEqualTo("test");
    }

    @Test
    void theStartUpLogSaysWhereTwilioStandsAndWhatToPasteIntoTwilio(CapturedOutput output) {
        assertThat(output.getAll())
                .contains("✅ Twilio SMS: Configured (TEST mode)")
                .contains("📱 Twilio Phone: " + BUSINESS)
                .contains("⚠️  Test Mode: Only works with verified numbers in Twilio sandbox")
                .contains(PUBLIC_URL + "/sms/api/twilio/sms/inbound")
                .contains(PUBLIC_URL + "/sms/api/twilio/sms/status")
                .doesNotContain(AUTH_TOKEN);
    }

    @Test
    void theReplyWorkersStopOnlyAfterTheWebServer() {
        Map<String, SmartLifecycle> lifecycles = context.getBeansOfType(SmartLifecycle.class);
        List<Integer> webServerPhases = lifecycles.values().stream()
                .filter(l -> l.getClass().getName().contains("WebServer")).map(SmartLifecycle::getPhase).collect(Collectors.toList());
        assertThat(webServerPhases).isNotEmpty().allSatisfy(phase -> assertThat(phase).isGreaterThan(FrontDeskLifecycle.PHASE));
        assertThat(context.getBean(FrontDeskLifecycle.class).isRunning()).isTrue();
    }

    private URI local(String path) {
        return URI.create("http://localhost:" + port() + path);
    }

    private String port() {
        return environment.getProperty("local.server.port");
    }
}
