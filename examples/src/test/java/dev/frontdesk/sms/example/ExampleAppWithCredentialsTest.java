package dev.frontdesk.sms.example;

import static dev.frontdesk.sms.example.TestHttp.await;
import static dev.frontdesk.sms.example.TestHttp.getJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.FrontDeskConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example app with Twilio and OpenAI variables set, aimed at local mocks through
 * {@code TWILIO_API_BASE_URL} and {@code OPENAI_BASE_URL}: the real gateway and generator are used,
 * webhooks are checked against the auth token, test mode refuses unverified numbers.
 */
class ExampleAppWithCredentialsTest {
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String AUTH_TOKEN = "test-auth-token";
    private static final String BUSINESS = "+15557654321";
    private static final String CUSTOMER = "+15551234567";

    @TempDir
    Path dir;
    MockWebServer twilio;
    MockWebServer openai;
    int sids;

    @BeforeEach
    void startMocks() throws IOException {
        twilio = new MockWebServer();
        twilio.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!request.getPath().equals("/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json")) {
                    return new MockResponse().setResponseCode(404).setBody("{\"code\": 20404, \"message\": \"not found\", \"status\": 404}");
                }
                Map<String, String> form = form(request.getBody().readUtf8());
                String sid = String.format("SM%032x", ++sids);
                String body = TestHttp.fixture("twilio-message-created.json").replace("%SID%", sid).replace("%TO%", form.get("To"))
                        .replace("%BODY%", form.get("Body").replace("\"", "\\\""));
                return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(body);
            }
        });
        twilio.start();
        openai = new MockWebServer();
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setHeader("Content-Type", "application/json").setBody(TestHttp.fixture("openai-chat-completion.json"));
            }
        });
        openai.start();
    }

    @AfterEach
    void stopMocks() throws IOException {
        twilio.shutdown();
        openai.shutdown();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
        env.put("TWILIO_ACCOUNT_SID", ACCOUNT);
        env.put("TWILIO_AUTH_TOKEN", AUTH_TOKEN);
        env.put("TWILIO_PHONE_NUMBER", BUSINESS);
        env.put("TWILIO_TEST_MODE", "true");
        env.put("TWILIO_VERIFIED_NUMBERS", CUSTOMER);
        env.put("TWILIO_API_BASE_URL", twilio.url("/").toString());
        env.put("OPENAI_API_KEY", "sk-test");
        env.put("OPENAI_BASE_URL", openai.url("/v1").toString());
        env.put("FRONTDESK_API_KEY", "staff-key");
        return env;
    }

    @Test
    void repliesComeFromTheModelAndGoOutThroughTwilioThenDeliveryIsRecorded() throws Exception {
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            JsonNode status = getJson(app, "/api/twilio/status", "staff-key");
            assertThat(status.path("configured").asBoolean()).isTrue();
            assertThat(status.path("mode").asText()).isEqualTo("test");
            assertThat(status.path("missing")).isEmpty();
            assertThat(status.path("ai").path("configured").asBoolean()).isTrue();

            Map<String, String> inbound = new LinkedHashMap<>();
            inbound.put("MessageSid", "SM" + "f".repeat(32));
            inbound.put("AccountSid", ACCOUNT);
            inbound.put("From", CUSTOMER);
            inbound.put("To", BUSINESS);
            inbound.put("Body", "Hi, I need help with my plumbing issue");
            inbound.put("NumMedia", "0");
            assertThat(TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH, inbound, "wrong-token").statusCode()).isEqualTo(403);
            assertThat(TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH, inbound, AUTH_TOKEN).statusCode()).isEqualTo(200);

            RecordedRequest chat = openai.takeRequest(30, TimeUnit.SECONDS);
            assertThat(chat).isNotNull();
            assertThat(chat.getPath()).isEqualTo("/v1/chat/completions");
            assertThat(chat.getHeader("Authorization")).isEqualTo("Bearer sk-test");
            RecordedRequest send = twilio.takeRequest(30, TimeUnit.SECONDS);
            assertThat(send).isNotNull();
            Map<String, String> sent = form(send.getBody().readUtf8());
            assertThat(sent).containsEntry("To", CUSTOMER)
                    .containsEntry("StatusCallback", app.config().statusCallbackUrl());
            assertThat(sent.get("Body")).startsWith("Sorry to hear about the plumbing trouble!");

            JsonNode reply = await(Duration.ofSeconds(30), "the AI reply stored as sent", () -> {
                JsonNode m = getJson(app, "/api/leads/1/sms", "staff-key").path("messages");
                return m.size() == 2 && "queued".equals(m.get(1).path("status").asText()) ? m.get(1) : null;
            });
            assertThat(reply.path("twilioSid").asText()).isEqualTo(String.format("SM%032x", 1));

            Map<String, String> callback = new LinkedHashMap<>();
            callback.put("MessageSid", reply.path("twilioSid").asText());
            callback.put("MessageStatus", "delivered");
            callback.put("AccountSid", ACCOUNT);
            assertThat(TestHttp.postSigned(app, FrontDeskConfig.STATUS_PATH, callback, AUTH_TOKEN).statusCode()).isEqualTo(200);
            JsonNode delivered = getJson(app, "/api/leads/1/sms", "staff-key").path("messages").get(1);
            assertThat(delivered.path("status").asText()).isEqualTo("delivered");
            assertThat(delivered.path("deliveredAt").isTextual()).isTrue();
        }
    }

    @Test
    void withFollowUpHoursAQuietLeadGetsOneNudgeFromTheModelThroughTwilio() throws Exception {
        Map<String, String> env = env();
        env.put("FOLLOW_UP_HOURS", "0.0005"); // 1.8 s
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            assertThat(app.config().replies().followUpAfter()).isEqualTo(Duration.ofMillis(1800));
            Map<String, String> inbound = new LinkedHashMap<>();
            inbound.put("MessageSid", "SM" + "e".repeat(32));
            inbound.put("AccountSid", ACCOUNT);
            inbound.put("From", CUSTOMER); // +1555: no known zone, so the wall clock's hour is never quiet for it
            inbound.put("To", BUSINESS);
            inbound.put("Body", "Hi, I need help with my plumbing issue");
            inbound.put("NumMedia", "0");
            assertThat(TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH, inbound, AUTH_TOKEN).statusCode()).isEqualTo(200);

            RecordedRequest firstChat = openai.takeRequest(30, TimeUnit.SECONDS);
            RecordedRequest reply = twilio.takeRequest(30, TimeUnit.SECONDS);
            RecordedRequest nudgeChat = openai.takeRequest(30, TimeUnit.SECONDS);
            RecordedRequest nudge = twilio.takeRequest(30, TimeUnit.SECONDS);
            assertThat(firstChat).isNotNull();
            assertThat(reply).isNotNull();
            assertThat(nudgeChat).as("the follow-up asks the model").isNotNull();
            assertThat(nudgeChat.getBody().readUtf8()).contains("has not answered the business's last message");
            assertThat(nudge).as("and goes out through Twilio").isNotNull();
            assertThat(form(nudge.getBody().readUtf8())).containsEntry("To", CUSTOMER).containsEntry("From", BUSINESS);

            await(Duration.ofSeconds(30), "the follow-up job done", () -> pendingJobs(app) == 0 ? Boolean.TRUE : null);
            assertThat(twilio.getRequestCount()).as("one nudge: it schedules no other").isEqualTo(2);
            JsonNode messages = getJson(app, "/api/leads/1/sms", "staff-key").path("messages");
            assertThat(messages).hasSize(3);
            assertThat(messages.get(2).path("direction").asText()).isEqualTo("outbound");
        }
    }

    private static long pendingJobs(ExampleApp app) throws java.sql.SQLException {
        try (java.sql.Connection c = app.dataSource().getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM reply_jobs WHERE done = FALSE")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void testModeRefusesAStaffMessageToAnUnverifiedNumberBeforeCallingTwilio() throws Exception {
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + app.port() + "/api/twilio/sms/outbound"))
                    .header("Authorization", "Bearer staff-key")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"phoneNumber\": \"+15559990000\", \"message\": \"Hello\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(r.body()).contains("\"unverified_number\"");
            assertThat(twilio.getRequestCount()).isZero();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

}
