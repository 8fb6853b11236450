package dev.frontdesk.sms.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.BusinessProfile;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import dev.frontdesk.sms.twilio.TwilioSmsGateway;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies (automatic and staff) go out from one of the business's own numbers: the number the customer
 * texted when it is configured, else TWILIO_PHONE_NUMBER. Signed webhooks over real HTTP into Jetty, the
 * real Twilio gateway against a mock Twilio whose requests are read back.
 */
class ReplyFromNumberTest {
    private static final String TOKEN = "12345678901234567890123456789012";
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String PUBLIC_BASE = "https://abc123.ngrok.io";
    private static final String API_KEY = "staff-key-0123456789abcdef";
    private static final String MAIN_NUMBER = "+15550001111";
    private static final String PROFILE_NUMBER = "+15550002222";
    private static final String NOT_OURS = "+14158161286";
    private static final String CUSTOMER = "+15551234567";

    private final MockWebServer twilio = new MockWebServer();
    private final AtomicInteger sids = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T18:00:00Z"));
    private FrontDesk desk;
    private Server jetty;
    private int port;

    @BeforeEach
    void start() throws Exception {
        twilio.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String sid = String.format("SM%032x", sids.incrementAndGet());
                String sentFrom = MAIN_NUMBER; // Twilio answers with the From it was given
                for (String pair : request.getBody().clone().readUtf8().split("&")) {
                    if (pair.startsWith("From=")) {
                        sentFrom = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                    }
                }
                return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                        .setBody("{\"sid\": \"" + sid + "\", \"account_sid\": \"" + ACCOUNT + "\", \"status\": \"queued\","
                                + " \"num_segments\": \"1\", \"from\": \"" + sentFrom + "\", \"to\": \"" + CUSTOMER + "\", \"body\": \"x\"}");
            }
        });
        twilio.start();
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(MAIN_NUMBER))
                .twilioTestMode(false)
                .businessProfiles(Map.of(PROFILE_NUMBER, new BusinessProfile("Ace Electric", "Electricians.", PROFILE_NUMBER)))
                .publicBaseUrl(PUBLIC_BASE).businessName("Ace Plumbing").build();
        desk = FrontDesk.builder().replySettle(java.time.Duration.ZERO).config(config).repository(new InMemoryLeadRepository())
                .gateway(TwilioSmsGateway.builder(config).accountSid(ACCOUNT).authToken(TOKEN)
                        .apiBaseUrl(twilio.url("/").toString().replaceAll("/$", "")).build()).clock(clock).build();
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(FrontDeskServlet.builder(desk).signingToken(TOKEN).apiKey(API_KEY).build()), "/*");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
        desk.close();
        twilio.shutdown();
    }

    @Test
    void aTextToANumberThatIsNotTheBusinesssIsAnsweredFromTheBusinessNumber() throws Exception {
        assertThat(inbound(1, NOT_OURS, "Hi, is this the plumber?").statusCode()).isEqualTo(200);
        drain();
        assertThat(nextTwilioForm()).containsEntry("From", MAIN_NUMBER).containsEntry("To", CUSTOMER);

        assertThat(staff("On my way.").statusCode()).isEqualTo(201);
        assertThat(nextTwilioForm()).as("staff answer").containsEntry("From", MAIN_NUMBER);
    }

    @Test
    void aTextToAConfiguredNumberIsAnsweredFromThatNumber() throws Exception {
        assertThat(inbound(2, PROFILE_NUMBER, "Hi, my lights flicker").statusCode()).isEqualTo(200);
        drain();
        assertThat(nextTwilioForm()).containsEntry("From", PROFILE_NUMBER);

        assertThat(staff("We can come at 3.").statusCode()).isEqualTo(201);
        assertThat(nextTwilioForm()).as("staff answer").containsEntry("From", PROFILE_NUMBER);
    }

    @Test
    void aMissedCallToAConfiguredNumberIsTextedFromThatNumber() throws Exception {
        assertThat(call("CA0123456789abcdef0123456789abcde1", PROFILE_NUMBER).statusCode()).isEqualTo(200);
        drain();
        assertThat(nextTwilioForm()).as("the missed-call text").containsEntry("From", PROFILE_NUMBER).containsEntry("To", CUSTOMER);

        assertThat(staff("Sorry we missed you, calling back now.").statusCode()).isEqualTo(201);
        assertThat(nextTwilioForm()).as("staff answer").containsEntry("From", PROFILE_NUMBER);
    }

    @Test
    void aMissedCallToTheMainNumberOrOneThatIsNotOursIsTextedFromTheMainNumber() throws Exception {
        assertThat(call("CA0123456789abcdef0123456789abcde2", MAIN_NUMBER).statusCode()).isEqualTo(200);
        drain();
        assertThat(nextTwilioForm()).containsEntry("From", MAIN_NUMBER).containsEntry("To", CUSTOMER);

        assertThat(call("CA0123456789abcdef0123456789abcde3", NOT_OURS).statusCode()).isEqualTo(200);
        drain();
        assertThat(nextTwilioForm()).as("a called number that is not configured is never sent from").containsEntry("From", MAIN_NUMBER);
    }

    /** A call to {@code to} with no OWNER_PHONE_NUMBER set: answered with a sentence, the caller texted at once. */
    private HttpResponse<String> call(String callSid, String to) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", ACCOUNT);
        p.put("CallSid", callSid);
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("From", CUSTOMER);
        p.put("To", to);
        return signed(FrontDeskConfig.VOICE_INBOUND_PATH, p);
    }

    private HttpResponse<String> signed(String path, Map<String, String> p) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignatures.sign(TOKEN, PUBLIC_BASE + path, p))
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.form(p))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void drain() {
        while (desk.processNextReply()) {
            // next
        }
    }

    private Map<String, String> nextTwilioForm() throws InterruptedException {
        RecordedRequest request = twilio.takeRequest(10, TimeUnit.SECONDS);
        assertThat(request).as("a request to Twilio").isNotNull();
        assertThat(request.getPath()).endsWith("/Messages.json");
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBody().readUtf8().split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private HttpResponse<String> inbound(int n, String to, String body) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        String sid = String.format("SM%032x", 0xabc000 + n);
        p.put("SmsMessageSid", sid);
        p.put("NumMedia", "0");
        p.put("MessageSid", sid);
        p.put("AccountSid", ACCOUNT);
        p.put("From", CUSTOMER);
        p.put("To", to);
        p.put("Body", body);
        String path = FrontDeskConfig.INBOUND_PATH;
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignatures.sign(TOKEN, PUBLIC_BASE + path, p))
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.form(p))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> staff(String message) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/twilio/sms/outbound"))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"phoneNumber\": \"" + CUSTOMER + "\", \"message\": \"" + message + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
