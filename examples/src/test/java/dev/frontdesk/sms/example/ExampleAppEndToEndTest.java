package dev.frontdesk.sms.example;

import static dev.frontdesk.sms.example.TestHttp.await;
import static dev.frontdesk.sms.example.TestHttp.getJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.frontdesk.sms.FrontDeskConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the example app's main assembly in-process on a free port with an H2 file database in a temp
 * directory, with no credentials at all, and drives it over HTTP as Twilio and staff would.
 */
class ExampleAppEndToEndTest {
    private static final Duration REPLY_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
        env.put("BUSINESS_NAME", "Joe's Plumbing");
        return env;
    }

    private static Map<String, String> inbound(String sid, String from, String body) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", sid);
        p.put("AccountSid", "AC" + "0".repeat(32));
        p.put("From", from);
        p.put("To", "+15550001234");
        p.put("Body", body);
        p.put("NumMedia", "0");
        return p;
    }

    @Test
    void signedInboundSmsIsStoredAnsweredByTheConsoleGatewayAndSurvivesARestart() throws Exception {
        String sid = ConsoleSmsGateway.newSid();
        String apiKey;
        long leadId;
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            apiKey = app.apiKey();
            String token = LocalSecrets.find(dir.resolve("data")).orElseThrow().signingToken();

            HttpResponse<String> answer = TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH,
                    inbound(sid, "+15551234567", "Hi, I need help with my plumbing issue"), token);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/xml"));
            assertThat(answer.body()).contains("<Response/>");

            JsonNode leads = getJson(app, "/api/leads", apiKey).path("leads");
            assertThat(leads).hasSize(1);
            JsonNode lead = leads.get(0);
            assertThat(lead.path("phoneNumber").asText()).isEqualTo("+15551234567");
            assertThat(lead.path("smsEnabled").asBoolean()).isTrue();
            leadId = lead.path("id").asLong();

            JsonNode messages = await(REPLY_WITHIN, "the console reply", () -> {
                JsonNode m = getJson(app, "/api/leads/" + leadId + "/sms", apiKey).path("messages");
                return m.size() == 2 && "simulated".equals(m.get(1).path("status").asText()) ? m : null;
            });
            assertThat(messages.get(0).path("direction").asText()).isEqualTo("inbound");
            assertThat(messages.get(0).path("twilioSid").asText()).isEqualTo(sid);
            assertThat(messages.get(0).path("body").asText()).isEqualTo("Hi, I need help with my plumbing issue");
            JsonNode reply = messages.get(1);
            assertThat(reply.path("direction").asText()).isEqualTo("outbound");
            assertThat(reply.path("to").asText()).isEqualTo("+15551234567");
            assertThat(reply.path("body").asText()).contains("Joe's Plumbing");
            assertThat(reply.path("twilioSid").asText()).matches("SM[0-9a-f]{32}");

            // The same webhook delivered twice changes nothing.
            assertThat(TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH,
                    inbound(sid, "+15551234567", "Hi, I need help with my plumbing issue"), token).statusCode()).isEqualTo(200);
            assertThat(getJson(app, "/api/leads/" + leadId + "/sms", apiKey).path("messages")).hasSize(2);
        }

        try (ExampleApp restarted = ExampleApp.start(env(), dir)) {
            assertThat(restarted.apiKey()).as("the generated key is kept in data/").isEqualTo(apiKey);
            JsonNode leads = getJson(restarted, "/api/leads", apiKey).path("leads");
            assertThat(leads).hasSize(1);
            assertThat(leads.get(0).path("id").asLong()).isEqualTo(leadId);
            JsonNode messages = getJson(restarted, "/api/leads/" + leadId + "/sms", apiKey).path("messages");
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0).path("twilioSid").asText()).isEqualTo(sid);
            assertThat(messages.get(1).path("status").asText()).isEqualTo("simulated");
        }
    }

    @Test
    void webhooksWithoutAValidSignatureAreRefusedAndStoreNothing() throws Exception {
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            Map<String, String> params = inbound(ConsoleSmsGateway.newSid(), "+15551230000", "hello");
            String url = "http://localhost:" + app.port() + FrontDeskConfig.INBOUND_PATH;
            assertThat(TestHttp.postForm(url, params, null).statusCode()).isEqualTo(403);
            assertThat(TestHttp.postForm(url, params, "bm90IGEgc2lnbmF0dXJl").statusCode()).isEqualTo(403);
            assertThat(TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH, params, "some-other-token").statusCode()).isEqualTo(403);
            assertThat(getJson(app, "/api/leads", app.apiKey()).path("leads")).isEmpty();
        }
    }

    @Test
    void theDefaultH2DatabaseKeepsEnoughParsedStatementsPerConnection() throws Exception {
        try (ExampleApp app = ExampleApp.start(env(), dir);
             java.sql.Connection c = app.dataSource().getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(64); // H2's default is 8
        }
    }

    @Test
    void theStaffApiWantsTheKeyAndTheSettingsSayNotConfigured() throws Exception {
        Map<String, String> env = env();
        env.put("FRONTDESK_API_KEY", "my-own-key");
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            assertThat(app.apiKey()).isEqualTo("my-own-key");
            assertThat(TestHttp.get(app, "/api/leads", null).statusCode()).isEqualTo(401);
            assertThat(TestHttp.get(app, "/api/leads", "wrong").statusCode()).isEqualTo(401);
            JsonNode status = getJson(app, "/api/twilio/status", "my-own-key");
            assertThat(status.path("configured").asBoolean()).isFalse();
            assertThat(status.path("missing").toString()).contains("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER");
            assertThat(status.path("inboundWebhookUrl").asText()).isEqualTo("http://localhost:" + app.port() + "/api/twilio/sms/inbound");
            assertThat(status.path("voiceWebhookUrl").asText()).isEqualTo("http://localhost:" + app.port() + "/api/twilio/voice/inbound");
        }
    }

    @Test
    void theDashboardIsServedFromTheJarWithoutExternalResources() throws Exception {
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            HttpResponse<String> index = TestHttp.get(app, "/", null);
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(index.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
            assertThat(index.body()).contains("assets/app.js", "assets/app.css").doesNotContain("http://", "https://");
            assertThat(TestHttp.get(app, "/assets/app.js", null).statusCode()).isEqualTo(200);
            assertThat(TestHttp.get(app, "/assets/app.css", null).statusCode()).isEqualTo(200);
            HttpResponse<String> missing = TestHttp.get(app, "/assets/nope.js", null);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("\"code\":\"not_found\"");
        }
    }

    @Test
    void errorsJettyAnswersOnItsOwnAreJsonToo() throws Exception {
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            java.net.http.HttpRequest big = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + app.port() + "/api/leads"))
                    .header("X-Padding", "a".repeat(40_000)).GET().build();
            HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(big, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(431);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(TestHttp.JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("payload_too_large");
        }
    }

    @Test
    void theSimulatorSignsLikeTwilioAndPrintsTheAppsAnswerAndReply() throws Exception {
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            Map<String, String> simEnv = new HashMap<>(env());
            simEnv.put("PORT", String.valueOf(app.port()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new Simulator(simEnv, dir, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"simulate", "--from", "+15551234567", "--body", "Hi, I need help with my plumbing issue"});
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed).contains("← 200", "<Response/>", "status simulated", "Joe's Plumbing");

            JsonNode messages = getJson(app, "/api/leads/1/sms", app.apiKey()).path("messages");
            String replySid = messages.get(1).path("twilioSid").asText();
            out.reset();
            code = new Simulator(simEnv, dir, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"simulate-status", "--sid", replySid, "--status", "delivered"});
            assertThat(code).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("MessageStatus=delivered", "← 200");
        }
    }

    @Test
    void theSimulatorPlaysAMissedCallAndAnAnsweredOneThroughTheOwnersPhone() throws Exception {
        Map<String, String> withOwner = new HashMap<>(env());
        withOwner.put("OWNER_PHONE_NUMBER", "+15559998888");
        try (ExampleApp app = ExampleApp.start(withOwner, dir)) {
            Map<String, String> simEnv = new HashMap<>(withOwner);
            simEnv.put("PORT", String.valueOf(app.port()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new Simulator(simEnv, dir, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"simulate-call", "--from", "+15551234567", "--answered"});
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed).contains("/api/twilio/voice/inbound", "<Dial", "+15559998888", "DialCallStatus=completed", "sends no text");
            assertThat(getJson(app, "/api/leads", app.apiKey()).path("leads")).isEmpty();

            out.reset();
            code = new Simulator(simEnv, dir, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"simulate-call", "--from", "+15551234567"});
            printed = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed).contains("DialCallStatus=no-answer", "/api/twilio/voice/dial-status", "💬 Reply to +15551234567",
                    "status simulated");
            JsonNode lead = getJson(app, "/api/leads", app.apiKey()).path("leads").get(0);
            assertThat(lead.path("source").asText()).isEqualTo("call");
            assertThat(lead.path("lastMessage").path("body").asText()).contains("missed your call");
        }
    }
}
