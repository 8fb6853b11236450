package dev.frontdesk.sms.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sends through {@link TwilioSmsGateway} (the official SDK's real requests) to Prism serving Twilio's own
 * OpenAPI description ({@code ../shared/oracles/twilio_api_v2010.json}), which answers 422 to any request
 * that breaks the spec. Skipped, saying why, when Prism or the spec is absent, unless
 * {@code FRONTDESK_REQUIRE_PRISM=true} (as {@code .ci/run} sets), which makes it fail instead.
 */
class TwilioPrismContractTest {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "0123456789abcdef0123456789abcdef";
    static String prismUrl;
    static String unavailable;

    final List<String> exchanges = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    OkHttpClient recording;

    @BeforeAll
    static void findPrism() {
        boolean required = "true".equalsIgnoreCase(System.getenv("FRONTDESK_REQUIRE_PRISM"));
        String oracles = System.getProperty("frontdesk.oracles", "../../shared/oracles");
        Path spec = Path.of(oracles, "twilio_api_v2010.json");
        String url = System.getenv("FRONTDESK_PRISM_URL");
        String problem = null;
        if (!Files.isRegularFile(spec)) {
            problem = "Twilio's OpenAPI description is not at " + spec.toAbsolutePath();
        } else if (url == null || url.isBlank()) {
            problem = "FRONTDESK_PRISM_URL is not set (start Prism as ../shared/oracles/README.md says)";
        } else {
            OkHttpClient probe = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).build();
            try (Response ignored = probe.newCall(new Request.Builder().url(url).build()).execute()) {
                prismUrl = url.strip();
            } catch (IOException | IllegalArgumentException e) {
                problem = "Prism is not answering at " + url + " (" + e.getMessage() + ")";
            }
        }
        unavailable = problem;
        if (problem != null) {
            if (required) {
                fail("FRONTDESK_REQUIRE_PRISM=true but " + problem);
            }
            System.err.println("Skipping the Twilio contract test: " + problem);
        }
    }

    @BeforeEach
    void recordExchanges() {
        // Per test, so each shows up as skipped with the reason.
        Assumptions.assumeTrue(unavailable == null, () -> "Skipping the Twilio contract test: " + unavailable);
        recording = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    Response r = chain.proceed(chain.request());
                    String body = r.peekBody(65536).string();
                    bodies.add(body);
                    exchanges.add(chain.request().method() + " " + chain.request().url().encodedPath() + " -> " + r.code() + " " + body);
                    return r;
                })
                .build();
    }

    JsonNode lastAnswer() {
        try {
            return new ObjectMapper().readTree(bodies.get(bodies.size() - 1));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    TwilioSmsGateway.Builder gateway() {
        return TwilioSmsGateway.builder()
                .accountSid(SID)
                .authToken(TOKEN)
                .phoneNumber(new PhoneNumber("+15557654321"))
                .statusCallbackUrl("https://desk.example.com/api/twilio/sms/status")
                .apiBaseUrl(prismUrl)
                .okHttpClient(recording)
                .maxAttempts(1)
                .readTimeout(Duration.ofSeconds(20));
    }

    @Test
    void prismAcceptsTheMessageCreateTheSdkSendsAndItsAnswerParses() {
        SendResult result;
        try {
            result = gateway().build().send(new OutboundSms(new PhoneNumber("+15551234567"),
                    "Thanks for texting Acme Plumbing! What's your address?", null, null));
        } catch (TwilioSendException e) {
            throw new AssertionError("Prism refused the send (HTTP " + e.httpStatus() + "): " + exchanges, e);
        }

        assertThat(exchanges).singleElement().asString()
                .startsWith("POST /2010-04-01/Accounts/" + SID + "/Messages.json -> 201");
        JsonNode answer = lastAnswer();
        assertThat(result.sid()).matches("^(SM|MM)[0-9a-fA-F]{32}$").isEqualTo(answer.path("sid").asText());
        assertThat(result.status()).isEqualTo(MessageStatus.fromWire(answer.path("status").asText()));
        assertThat(result.status()).isNotIn(MessageStatus.PENDING, MessageStatus.SIMULATED);
    }

    @Test
    void prismAcceptsASendThroughAMessagingService() {
        try {
            SendResult result = gateway().messagingServiceSid("MG0123456789abcdef0123456789abcdef").build()
                    .send(new OutboundSms(new PhoneNumber("+15551234567"), "Hello", null, null));
            assertThat(result.sid()).isEqualTo(lastAnswer().path("sid").asText());
        } catch (TwilioSendException e) {
            throw new AssertionError("Prism refused the send (HTTP " + e.httpStatus() + "): " + exchanges, e);
        }
        assertThat(exchanges).singleElement().asString().contains("-> 201");
    }

    @Test
    void prismAcceptsAWhatsAppSendWithWhatsAppAddresses() {
        try {
            SendResult result = gateway().build().send(new OutboundSms(new PhoneNumber("+15551234567"), "Hola", null, null,
                    dev.frontdesk.sms.Channel.WHATSAPP));
            assertThat(result.sid()).isEqualTo(lastAnswer().path("sid").asText());
        } catch (TwilioSendException e) {
            throw new AssertionError("Prism refused the send (HTTP " + e.httpStatus() + "): " + exchanges, e);
        }
        assertThat(exchanges).singleElement().asString().contains("-> 201");
    }

    @Test
    void prismAcceptsTheOutgoingCallerIdsListing() {
        TwilioSmsGateway gateway = gateway().build();

        gateway.isVerified(new PhoneNumber("+15551234567"));

        assertThat(exchanges).isNotEmpty();
        assertThat(exchanges.get(0)).startsWith("GET /2010-04-01/Accounts/" + SID + "/OutgoingCallerIds.json -> 200")
                .contains("outgoing_caller_ids");
    }

    /** The oracle really validates: a create without {@code To} is refused, so a pass above means something. */
    @Test
    void prismRefusesAMessageCreateThatBreaksTheSpec() throws IOException {
        Request bad = new Request.Builder()
                .url(prismUrl + "/2010-04-01/Accounts/" + SID + "/Messages.json")
                .header("Authorization", Credentials.basic(SID, TOKEN))
                .post(new FormBody.Builder().add("Body", "no recipient").add("From", "+15557654321").build())
                .build();
        try (Response r = recording.newCall(bad).execute()) {
            assertThat(r.code()).isEqualTo(422);
        }
    }
}
