package dev.frontdesk.sms.twilio;

import dev.frontdesk.sms.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.twilio.TwilioSendException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Credentials;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwilioSmsGatewayTest {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "test-auth-token-never-logged";
    static final PhoneNumber BUSINESS = new PhoneNumber("+15557654321");
    static final PhoneNumber CUSTOMER = new PhoneNumber("+15551234567");
    static final String CALLBACK = "https://desk.example.com/api/twilio/sms/status";
    static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + SID + "/Messages.json";

    MockWebServer server;
    MutableClock clock;
    List<Duration> sleeps;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
        sleeps = new ArrayList<>();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    TwilioSmsGateway.Builder builder() {
        return TwilioSmsGateway.builder()
                .accountSid(SID)
                .authToken(TOKEN)
                .phoneNumber(BUSINESS)
                .statusCallbackUrl(CALLBACK)
                .apiBaseUrl(server.url("/").toString())
                .clock(clock)
                .sleeper(d -> {
                    sleeps.add(d);
                    clock.advance(d);
                })
                .jitter(() -> 0.5)
                .readTimeout(Duration.ofMillis(500));
    }

    static String fixture(String name) {
        try (InputStream in = TwilioSmsGatewayTest.class.getResourceAsStream("/twilio/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static MockResponse created() {
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                .setBody(fixture("message-created.json"));
    }

    static MockResponse twilioError(int http, int code, String message) {
        return new MockResponse().setResponseCode(http).setHeader("Content-Type", "application/json")
                .setBody("{\"code\": " + code + ", \"message\": \"" + message + "\", \"more_info\": \"https://www.twilio.com/docs/errors/"
                        + code + "\", \"status\": " + http + "}");
    }

    static Map<String, String> form(RecordedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        String body = r.getBody().readUtf8();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    OutboundSms sms(String body) {
        return new OutboundSms(CUSTOMER, body, null, null);
    }

    @Test
    void sendPostsEveryFormFieldWithBasicAuthAndParsesTwiliosAnswer() throws Exception {
        server.enqueue(created());
        TwilioSmsGateway gateway = builder().build();

        SendResult result = gateway.send(new OutboundSms(CUSTOMER, "Thanks! What is your address? & 100% ✓", null, CALLBACK));

        assertThat(result).isEqualTo(new SendResult("SM0123456789abcdef0123456789abcdef", MessageStatus.QUEUED, 2, "+15557654321"));
        RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getPath()).isEqualTo(MESSAGES_PATH);
        assertThat(r.getHeader("Authorization")).isEqualTo(Credentials.basic(SID, TOKEN));
        assertThat(r.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(r)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "To", "+15551234567",
                "From", "+15557654321",
                "Body", "Thanks! What is your address? & 100% ✓",
                "StatusCallback", CALLBACK));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void builderFromConfigUsesConfiguredNumberBaseUrlAndStatusCallback() throws Exception {
        server.enqueue(created());
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(BUSINESS)
                .publicBaseUrl("https://desk.example.com")
                .build();
        TwilioSmsGateway gateway = TwilioSmsGateway.builder(config).accountSid(SID).authToken(TOKEN)
                .apiBaseUrl(server.url("/").toString()).clock(clock).sleeper(d -> sleeps.add(d)).build();

        gateway.send(sms("Hello"));

        Map<String, String> form = form(server.takeRequest(1, TimeUnit.SECONDS));
        assertThat(form).containsEntry("From", "+15557654321")
                .containsEntry("StatusCallback", "https://desk.example.com/api/twilio/sms/status");
    }

    @Test
    void fromEnvironmentReadsTheTwilioClientsOwnVariables() throws Exception {
        server.enqueue(created());
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(BUSINESS).publicBaseUrl("https://desk.example.com").build();
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN,
                "TWILIO_API_BASE_URL", server.url("/").toString(), "TWILIO_MAX_CONCURRENT_REQUESTS", "2");
        TwilioSmsGateway gateway = TwilioSmsGateway.Builder.fromEnvironment(env, config).clock(clock).sleeper(d -> sleeps.add(d)).build();

        gateway.send(sms("Hello"));

        RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(r.getPath()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Messages.json");
        assertThat(r.getHeader("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString((SID + ":" + TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(form(r)).containsEntry("From", "+15557654321")
                .containsEntry("StatusCallback", "https://desk.example.com/api/twilio/sms/status");
    }

    @Test
    void fromEnvironmentNamesTheVariableThatIsWrongOrMissing() {
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(BUSINESS).build();
        assertThatThrownBy(() -> TwilioSmsGateway.Builder.fromEnvironment(Map.of("TWILIO_API_BASE_URL", "api.twilio.com"), config))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_API_BASE_URL");
        assertThatThrownBy(() -> TwilioSmsGateway.Builder.fromEnvironment(Map.of("TWILIO_MAX_CONCURRENT_REQUESTS", "many"), config))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_MAX_CONCURRENT_REQUESTS");
        assertThatThrownBy(() -> TwilioSmsGateway.Builder.fromEnvironment(Map.of("TWILIO_AUTH_TOKEN", TOKEN), config).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_ACCOUNT_SID");
        assertThatThrownBy(() -> TwilioSmsGateway.Builder.fromEnvironment(Map.of("TWILIO_ACCOUNT_SID", SID), config).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_AUTH_TOKEN");
    }

    @Test
    void outboundFromOverridesTheConfiguredNumber() throws Exception {
        server.enqueue(created());
        builder().build().send(new OutboundSms(CUSTOMER, "Hi", "+15550001111", null));

        Map<String, String> form = form(server.takeRequest(1, TimeUnit.SECONDS));
        assertThat(form).containsEntry("From", "+15550001111").containsEntry("StatusCallback", CALLBACK);
    }

    @Test
    void whatsAppMessagesGoToAndFromWhatsAppAddressesOnTheSameMessagesApi() throws Exception {
        server.enqueue(created());
        server.enqueue(created());
        server.enqueue(created());
        TwilioSmsGateway gateway = builder().build();

        gateway.send(new OutboundSms(CUSTOMER, "Hola", null, CALLBACK, Channel.WHATSAPP));
        gateway.send(new OutboundSms(CUSTOMER, "Hola", "whatsapp:+15550001111", CALLBACK, Channel.WHATSAPP));
        builder().messagingServiceSid("MG0123456789abcdef0123456789abcdef").build().send(new OutboundSms(CUSTOMER, "Hola", "whatsapp:" + BUSINESS.value(), CALLBACK, Channel.WHATSAPP));

        RecordedRequest first = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(first.getPath()).isEqualTo(MESSAGES_PATH);
        assertThat(form(first)).containsEntry("To", "whatsapp:+15551234567").containsEntry("From", "whatsapp:" + BUSINESS.value())
                .containsEntry("Body", "Hola").containsEntry("StatusCallback", CALLBACK);
        assertThat(form(server.takeRequest(1, TimeUnit.SECONDS))).as("a whatsapp: From is not prefixed twice")
                .containsEntry("To", "whatsapp:+15551234567").containsEntry("From", "whatsapp:+15550001111");
        assertThat(form(server.takeRequest(1, TimeUnit.SECONDS))).as("through a Messaging Service: its WhatsApp sender named")
                .containsEntry("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef")
                .containsEntry("To", "whatsapp:+15551234567").containsEntry("From", "whatsapp:" + BUSINESS.value());
    }

    @Test
    void messagingServiceIsUsedInsteadOfTheNumber() throws Exception {
        server.enqueue(created());
        server.enqueue(created());
        TwilioSmsGateway gateway = builder().messagingServiceSid("MG0123456789abcdef0123456789abcdef").build();

        gateway.send(new OutboundSms(CUSTOMER, "Hi", BUSINESS.value(), CALLBACK));
        gateway.send(new OutboundSms(CUSTOMER, "Hi", "+15550001111", CALLBACK));

        Map<String, String> viaService = form(server.takeRequest(1, TimeUnit.SECONDS));
        assertThat(viaService).containsEntry("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef")
                .doesNotContainKey("From")
                .containsKeys("To", "Body", "StatusCallback");
        Map<String, String> otherNumber = form(server.takeRequest(1, TimeUnit.SECONDS));
        assertThat(otherNumber).containsEntry("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef")
                .containsEntry("From", "+15550001111");
    }

    @ParameterizedTest(name = "Twilio {0} -> {1}")
    @CsvSource({
            "21211, INVALID_NUMBER",
            "21608, UNVERIFIED_NUMBER",
            "21610, OPTED_OUT",
            "21614, NOT_MOBILE",
            "21617, BODY_TOO_LONG",
            "21606, OTHER",
    })
    void twilioRefusalsMapToTypedNonRetryableExceptions(int code, Reason reason) {
        server.enqueue(twilioError(400, code, "The 'To' number +15551234567 is not valid"));
        TwilioSmsGateway gateway = builder().build();

        TwilioSendException e = catchThrowableOfType(TwilioSendException.class, () -> gateway.send(sms("Hi")));

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.providerCode()).isEqualTo(code);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.retryable()).isFalse();
        assertThat(e.outcomeUnknown()).isFalse();
        assertThat(e.recipientOptedOut()).isEqualTo(code == 21610);
        assertThat(e.storedErrorCode()).isEqualTo(String.valueOf(code));
        assertThat(e.getMessage()).doesNotContain("+15551234567").contains(String.valueOf(code));
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void optOutFixtureShapedLikeTwiliosAnswerMapsToOptedOut() {
        server.enqueue(new MockResponse().setResponseCode(400).setBody(fixture("error-21610.json")));
        TwilioSendException e = catchThrowableOfType(TwilioSendException.class, () -> builder().build().send(sms("Hi")));
        assertThat(e.reason()).isEqualTo(Reason.OPTED_OUT);
        assertThat(e.recipientOptedOut()).isTrue();
    }

    @Test
    void rateLimitedThenAcceptedRetriesHonouringRetryAfter() throws Exception {
        server.enqueue(twilioError(429, 20429, "Too Many Requests").setHeader("Retry-After", "3"));
        server.enqueue(created());

        SendResult result = builder().build().send(sms("Hi"));

        assertThat(result.sid()).isEqualTo("SM0123456789abcdef0123456789abcdef");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
        // The retry is the same message.
        Map<String, String> first = form(server.takeRequest());
        Map<String, String> second = form(server.takeRequest());
        assertThat(second).isEqualTo(first);
    }

    @Test
    void http429WithoutTwilioCodeIsRetryableAndUsesBackoffWhenNoRetryAfter() {
        server.enqueue(new MockResponse().setResponseCode(429).setBody("{\"status\": 429, \"message\": \"slow down\"}"));
        server.enqueue(created());

        builder().initialBackoff(Duration.ofMillis(400)).build().send(sms("Hi"));

        // jitter 0.5 of "equal jitter": 400/2 + 0.5 * 400/2 = 300 ms
        assertThat(sleeps).containsExactly(Duration.ofMillis(300));
    }

    @Test
    void serverErrorsAreRetriedWithGrowingBoundedBackoffThenReportedRetryable() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(twilioError(500, 20500, "Internal Server Error"));
        }
        TwilioSmsGateway gateway = builder().maxAttempts(4).jitter(() -> 0.999)
                .initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(3)).build();

        TwilioSendException e = catchThrowableOfType(TwilioSendException.class, () -> gateway.send(sms("Hi")));

        assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(e.retryable()).isTrue();
        assertThat(e.outcomeUnknown()).isFalse();
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(server.getRequestCount()).isEqualTo(4);
        assertThat(sleeps).hasSize(3);
        // 1 s, 2 s, then capped at 3 s; each within [half, full] of its step.
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(sleeps.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(3));
    }

    @Test
    void jitterSpreadsTheBackoffBetweenHalfAndFullStep() {
        TwilioSmsGateway low = builder().jitter(() -> 0.0).initialBackoff(Duration.ofSeconds(2)).build();
        TwilioSmsGateway high = builder().jitter(() -> 0.9999).initialBackoff(Duration.ofSeconds(2)).build();
        assertThat(low.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(high.backoff(1)).isBetween(Duration.ofMillis(1990), Duration.ofSeconds(2));
        assertThat(low.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(low.backoff(30)).isEqualTo(Duration.ofSeconds(4)); // maxBackoff 8 s, halved
    }

    @Test
    void badGatewayWithHtmlBodyIsRetried() {
        server.enqueue(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html").setBody("<html>Bad Gateway</html>"));
        server.enqueue(created());

        SendResult result = builder().build().send(sms("Hi"));

        assertThat(result.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void retryAfterBeyondTheTotalBudgetIsNotWaitedFor() {
        server.enqueue(twilioError(429, 20429, "Too Many Requests").setHeader("Retry-After", "120"));

        TwilioSendException e = catchThrowableOfType(TwilioSendException.class,
                () -> builder().maxTotalTime(Duration.ofSeconds(20)).build().send(sms("Hi")));

        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(e.providerCode()).isEqualTo(20429);
        assertThat(e.retryable()).isTrue();
        assertThat(sleeps).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void totalTimeBudgetBoundsTheRetries() {
        for (int i = 0; i < 10; i++) {
            server.enqueue(twilioError(503, 20503, "Service Unavailable").setHeader("Retry-After", "4"));
        }
        TwilioSendException e = catchThrowableOfType(TwilioSendException.class,
                () -> builder().maxAttempts(10).maxTotalTime(Duration.ofSeconds(10)).build().send(sms("Hi")));

        assertThat(e.retryable()).isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void connectionRefusedIsRetriedAndReportedRetryableNotUnknown() throws IOException {
        String deadUrl = server.url("/").toString();
        server.shutdown();
        TwilioSmsGateway gateway = builder().apiBaseUrl(deadUrl).connectTimeout(Duration.ofMillis(500)).build();

        TwilioSendException e = catchThrowableOfType(TwilioSendException.class, () -> gateway.send(sms("Hi")));

        assertThat(e.reason()).isEqualTo(Reason.CONNECTION_FAILED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.outcomeUnknown()).isFalse();
        assertThat(e.httpStatus()).isZero();
        assertThat(e.providerCode()).isNull();
        assertThat(e.storedErrorCode()).isEqualTo("twilio_error");
        assertThat(sleeps).hasSize(2); // three attempts
    }

    @Test
    void timeoutAfterTheRequestLeftIsNotRetriedAndReportsOutcomeUnknown() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(created());

        TwilioSendException e = catchThrowableOfType(TwilioSendException.class,
                () -> builder().readTimeout(Duration.ofMillis(300)).build().send(sms("Hi")));

        assertThat(e.reason()).isEqualTo(Reason.OUTCOME_UNKNOWN);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.retryable()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(form(server.takeRequest(1, TimeUnit.SECONDS))).containsEntry("Body", "Hi");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void slowBodyAfterHeadersIsAlsoOutcomeUnknown() throws Exception {
        server.enqueue(created().setBodyDelay(2, TimeUnit.SECONDS));

        TwilioSendException e = catchThrowableOfType(TwilioSendException.class,
                () -> builder().readTimeout(Duration.ofMillis(300)).build().send(sms("Hi")));

        assertThat(e.reason()).isEqualTo(Reason.OUTCOME_UNKNOWN);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.retryable()).isFalse();
        assertThat(server.takeRequest(1, TimeUnit.SECONDS)).isNotNull();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void malformedJsonInASuccessAnswerIsOutcomeUnknownNotResent() {
        server.enqueue(new MockResponse().setResponseCode(201).setBody("{\"sid\": \"SM7e570000000000000000000000000012"));
        server.enqueue(created());

        TwilioSendException e = catchThrowableOfType(TwilioSendException.class, () -> builder().build().send(sms("Hi")));

        assertThat(e.reason()).isEqualTo(Reason.OUTCOME_UNKNOWN);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.httpStatus()).isEqualTo(201);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void successAnswerWithAFieldTheSdkCannotReadIsReadLeniently() {
        server.enqueue(new MockResponse().setResponseCode(201)
                .setBody(fixture("message-created.json").replace("\"price_unit\": \"USD\"", "\"price_unit\": \"not a currency\"")));

        SendResult result = builder().build().send(sms("Hi"));

        assertThat(result).isEqualTo(new SendResult("SM0123456789abcdef0123456789abcdef", MessageStatus.QUEUED, 2, "+15557654321"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void wrongCredentialsMapToAuthenticationFailed() {
        server.enqueue(twilioError(401, 20003, "Authenticate"));
        TwilioSendException e = catchThrowableOfType(TwilioSendException.class, () -> builder().build().send(sms("Hi")));
        assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("TWILIO_AUTH_TOKEN").doesNotContain(TOKEN);
    }

    // ------------------------------------------------------------ test mode

    @Test
    void configuredVerifiedNumbersAreUsedWithoutAskingTwilio() {
        TwilioSmsGateway gateway = builder().verifiedNumbers(List.of(CUSTOMER)).build();
        assertThat(gateway.isVerified(CUSTOMER)).isTrue();
        assertThat(gateway.isVerified(new PhoneNumber("+15559990000"))).isFalse();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void verifiedCallerIdsAreReadFromTwilioAndCachedUntilTheRefreshInterval() throws Exception {
        server.enqueue(new MockResponse().setBody(fixture("outgoing-caller-ids.json")));
        server.enqueue(new MockResponse().setBody(fixture("outgoing-caller-ids.json").replace("+15551234567", "+15550000001")));
        TwilioSmsGateway gateway = builder().verifiedNumbersRefresh(Duration.ofMinutes(10)).build();

        assertThat(gateway.isVerified(CUSTOMER)).isTrue();
        assertThat(gateway.isVerified(new PhoneNumber("+447700900123"))).isTrue();
        assertThat(gateway.isVerified(new PhoneNumber("+15559990000"))).isFalse();
        clock.advance(Duration.ofMinutes(9));
        assertThat(gateway.isVerified(CUSTOMER)).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);

        RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getRequestUrl().encodedPath()).isEqualTo("/2010-04-01/Accounts/" + SID + "/OutgoingCallerIds.json");
        assertThat(r.getHeader("Authorization")).isEqualTo(Credentials.basic(SID, TOKEN));

        clock.advance(Duration.ofMinutes(2));
        assertThat(gateway.isVerified(CUSTOMER)).isFalse(); // the list changed at Twilio
        assertThat(gateway.isVerified(new PhoneNumber("+15550000001"))).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void whenTheListCannotBeRefreshedTheLastOneReadIsUsed() {
        server.enqueue(new MockResponse().setBody(fixture("outgoing-caller-ids.json")));
        server.enqueue(twilioError(500, 20500, "Internal Server Error"));
        TwilioSmsGateway gateway = builder().verifiedNumbersRefresh(Duration.ofMinutes(1)).build();

        assertThat(gateway.isVerified(CUSTOMER)).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(gateway.isVerified(CUSTOMER)).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void whenNoListWasEverReadNumbersCountAsUnverified() {
        server.enqueue(twilioError(401, 20003, "Authenticate"));
        server.enqueue(new MockResponse().setBody(fixture("outgoing-caller-ids.json")));
        TwilioSmsGateway gateway = builder().build();

        assertThat(gateway.isVerified(CUSTOMER)).isFalse();
        assertThat(gateway.isVerified(CUSTOMER)).isTrue(); // a failure is not cached
    }

    @Test
    void callerIdPagesAreFollowedOnlyWithinTwilio() throws Exception {
        String page1 = fixture("outgoing-caller-ids.json").replace("\"next_page_uri\": null",
                "\"next_page_uri\": \"/2010-04-01/Accounts/" + SID + "/OutgoingCallerIds.json?PageSize=1000&Page=1&PageToken=PA1\"");
        String page2 = fixture("outgoing-caller-ids.json").replace("+15551234567", "+15550000002")
                .replace("\"next_page_uri\": null", "\"next_page_uri\": \"https://evil.example/steal\"");
        server.enqueue(new MockResponse().setBody(page1));
        server.enqueue(new MockResponse().setBody(page2));
        TwilioSmsGateway gateway = builder().build();

        assertThat(gateway.isVerified(new PhoneNumber("+15550000002"))).isTrue();
        assertThat(gateway.isVerified(CUSTOMER)).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
        server.takeRequest();
        assertThat(server.takeRequest().getRequestUrl().queryParameter("PageToken")).isEqualTo("PA1");
    }

    @Test
    void logsNeverShowTheAuthTokenOrTheCustomersFullNumber() throws Exception {
        server.enqueue(twilioError(503, 20503, "Service Unavailable for +15551234567"));
        server.enqueue(created());
        server.enqueue(new MockResponse().setBody(fixture("outgoing-caller-ids.json")));
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            TwilioSmsGateway gateway = builder().build();
            gateway.send(sms("Hi"));
            gateway.isVerified(CUSTOMER);
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("+1555***4567"); // the lines were captured
        assertThat(logs).doesNotContain(TOKEN).doesNotContain(Credentials.basic(SID, TOKEN)).doesNotContain("+15551234567");
    }

    // ------------------------------------------------------------ builder

    @Test
    void builderNamesMissingFields() {
        assertThatThrownBy(() -> TwilioSmsGateway.builder().authToken(TOKEN).phoneNumber(BUSINESS).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("accountSid");
        assertThatThrownBy(() -> TwilioSmsGateway.builder().accountSid(SID).phoneNumber(BUSINESS).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("authToken");
        assertThatThrownBy(() -> TwilioSmsGateway.builder().accountSid(SID).authToken(TOKEN).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TWILIO_PHONE_NUMBER")
                .hasMessageContaining("TWILIO_MESSAGING_SERVICE_SID");
        assertThatThrownBy(() -> builder().maxAttempts(0).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> builder().apiBaseUrl("ftp://x").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("apiBaseUrl");
    }

    @Test
    void toStringNeverShowsTheAuthToken() {
        assertThat(builder().build().toString()).doesNotContain(TOKEN).contains(SID);
    }
}
