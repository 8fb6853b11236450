package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static dev.frontdesk.sms.servlet.TestServer.PUBLIC_BASE;
import static dev.frontdesk.sms.servlet.TestServer.TOKEN;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signatures are checked against the public URL Twilio called, never the local one the request arrived at. */
class WebhookSignatureTest {
    static final String INBOUND = FrontDeskConfig.INBOUND_PATH;

    TestServer server = new TestServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Map<String, String> params() {
        return new LinkedHashMap<>(server.inboundParams("SM7e57a543997d84f12798350c09bdef2c", CUSTOMER, "Do you fix water heaters?"));
    }

    private HttpResponse<String> post(String pathAndQuery, Map<String, String> sent, String signature) {
        return server.postForm(pathAndQuery, TestServer.form(sent), signature);
    }

    private void assertRefusedAndNothingStored(HttpResponse<String> r) {
        assertError(r, 403, "invalid_signature");
        assertThat(server.memory.leads().listLeads(10)).isEmpty();
        assertThat(server.memory.replyQueue().pendingCount()).isZero();
    }

    @Test
    void tunnelCaseValidatesAgainstThePublicHttpsUrlNotTheLocalHttpOne() {
        Map<String, String> p = params();
        // The request reaches http://127.0.0.1:<port>/..., Twilio signed https://abc123.ngrok.io/...
        assertThat(server.local(INBOUND).toString()).startsWith("http://127.0.0.1:");
        assertThat(post(INBOUND, p, TwilioSignatures.sign(TOKEN, PUBLIC_BASE + INBOUND, p)).statusCode()).isEqualTo(200);

        Map<String, String> q = new LinkedHashMap<>(server.inboundParams("SM7e5725bf8e1a2393f1108d37029b3df5", CUSTOMER, "hi"));
        HttpResponse<String> signedForLocal = post(INBOUND, q, TwilioSignatures.sign(TOKEN, server.local(INBOUND).toString(), q));
        assertError(signedForLocal, 403, "invalid_signature");
    }

    @Test
    void wrongTokenIsRefused() {
        Map<String, String> p = params();
        assertRefusedAndNothingStored(post(INBOUND, p, TwilioSignatures.sign("ffffffffffffffffffffffffffffffff", PUBLIC_BASE + INBOUND, p)));
    }

    @Test
    void parameterAddedRemovedOrChangedIsRefused() {
        Map<String, String> p = params();
        String signature = TwilioSignatures.sign(TOKEN, PUBLIC_BASE + INBOUND, p);

        Map<String, String> added = new LinkedHashMap<>(p);
        added.put("Extra", "1");
        assertRefusedAndNothingStored(post(INBOUND, added, signature));

        Map<String, String> removed = new LinkedHashMap<>(p);
        removed.remove("NumSegments");
        assertRefusedAndNothingStored(post(INBOUND, removed, signature));

        Map<String, String> changed = new LinkedHashMap<>(p);
        changed.put("Body", "Do you fix water heaters?!");
        assertRefusedAndNothingStored(post(INBOUND, changed, signature));

        assertThat(post(INBOUND, p, signature).statusCode()).as("the original still passes").isEqualTo(200);
    }

    @Test
    void missingOrBlankHeaderIsRefused() {
        assertRefusedAndNothingStored(post(INBOUND, params(), null));
        assertRefusedAndNothingStored(post(INBOUND, params(), " "));
        assertRefusedAndNothingStored(post(INBOUND, params(), "not base64 at all"));
    }

    @Test
    void urlSignedWithTheDefaultPortIsAccepted() {
        Map<String, String> p = params();
        HttpResponse<String> r = post(INBOUND, p, TwilioSignatures.sign(TOKEN, "https://abc123.ngrok.io:443" + INBOUND, p));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void baseConfiguredWithTheDefaultPortAcceptsSignaturesWithout() throws Exception {
        try (TestServer withPort = new TestServer(c -> c.publicBaseUrl("https://abc123.ngrok.io:443/"), s -> s, "/*")) {
            Map<String, String> p = withPort.inboundParams("SM7e57f8d397a33fcb9725db96501e653b", CUSTOMER, "hi");
            HttpResponse<String> r = withPort.postForm(INBOUND, TestServer.form(p), TwilioSignatures.sign(TOKEN, PUBLIC_BASE + INBOUND, p));
            assertThat(r.statusCode()).isEqualTo(200);

            Map<String, String> q = withPort.inboundParams("SM7e5702336f00d1712d11c3187fce8424", CUSTOMER, "hi");
            HttpResponse<String> withPortSigned = withPort.postForm(INBOUND, TestServer.form(q),
                    TwilioSignatures.sign(TOKEN, "https://abc123.ngrok.io:443" + INBOUND, q));
            assertThat(withPortSigned.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void plainHttpBaseWithAndWithoutPort80() throws Exception {
        try (TestServer http = new TestServer(c -> c.publicBaseUrl("http://desk.example.com"), s -> s, "/*")) {
            Map<String, String> p = http.inboundParams("SM7e57e0603c499aae47eb89343ad0ef31", CUSTOMER, "hi");
            assertThat(http.postForm(INBOUND, TestServer.form(p), TwilioSignatures.sign(TOKEN, "http://desk.example.com:80" + INBOUND, p))
                    .statusCode()).isEqualTo(200);
            Map<String, String> q = http.inboundParams("SM7e577692c346bf0a97721435ce961de6", CUSTOMER, "hi");
            assertThat(http.postForm(INBOUND, TestServer.form(q), TwilioSignatures.sign(TOKEN, "http://desk.example.com" + INBOUND, q))
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void queryStringOnTheWebhookUrlIsPartOfTheSignedUrl() {
        String path = INBOUND + "?tenant=ace&greeting=hi%20there";
        Map<String, String> p = params();
        assertRefusedAndNothingStored(post(path, p, TwilioSignatures.sign(TOKEN, PUBLIC_BASE + INBOUND, p)));

        HttpResponse<String> r = post(path, p, TwilioSignatures.sign(TOKEN, PUBLIC_BASE + path, p));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void emptyBodySignedIs400UnsignedIs403() {
        String signed = TwilioSignatures.sign(TOKEN, PUBLIC_BASE + INBOUND, Map.of());
        assertError(server.postForm(INBOUND, "", signed), 400, "invalid_request");
        assertRefusedAndNothingStored(server.postForm(INBOUND, "", null));

        HttpResponse<String> noContentType = server.send(HttpRequest.newBuilder(server.local(INBOUND))
                .header("X-Twilio-Signature", signed).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertError(noContentType, 400, "invalid_request");
        assertThat(server.memory.leads().listLeads(10)).isEmpty();
    }

    @Test
    void statusCallbackIsSignedToo() {
        Map<String, String> p = Map.of("MessageSid", "SM7e572d711642b726b04401627ca9fbac", "MessageStatus", "delivered");
        assertError(server.postForm(FrontDeskConfig.STATUS_PATH, TestServer.form(p), null), 403, "invalid_signature");
        assertError(server.postForm(FrontDeskConfig.STATUS_PATH, TestServer.form(p),
                TwilioSignatures.sign(TOKEN, PUBLIC_BASE + INBOUND, p)), 403, "invalid_signature");
    }

    @Test
    void withoutAnAuthTokenEveryWebhookIsRefused() throws Exception {
        try (TestServer noToken = new TestServer(c -> c, s -> s.signingToken(null), "/*")) {
            Map<String, String> p = noToken.inboundParams("SM7e5782d08533272d8415c9b4197ab0e4", CUSTOMER, "hi");
            HttpResponse<String> r = noToken.postForm(INBOUND, TestServer.form(p), TwilioSignatures.sign(TOKEN, PUBLIC_BASE + INBOUND, p));
            assertThat(assertError(r, 403, "invalid_signature").get("message").asText()).contains("TWILIO_AUTH_TOKEN");
            assertThat(noToken.memory.leads().listLeads(10)).isEmpty();
        }
    }

    @Test
    void explicitSigningTokenIsUsedWhenTheHostSuppliesOne() throws Exception {
        String local = "local-simulator-secret";
        try (TestServer simulator = new TestServer(c -> c, s -> s.signingToken(local), "/*")) {
            Map<String, String> p = simulator.inboundParams("SM7e57507a9a8be3d145a86daa9644b28b", CUSTOMER, "hi");
            assertThat(simulator.postForm(INBOUND, TestServer.form(p), TwilioSignatures.sign(local, PUBLIC_BASE + INBOUND, p))
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void trustedForwardedHeadersGiveTheUrlTheProxyWasCalledAt() throws Exception {
        String proxied = "https://desk.example.com" + INBOUND;
        try (TestServer trusting = new TestServer(c -> c, s -> s.trustForwardedHeaders(true), "/*")) {
            Map<String, String> p = trusting.inboundParams("SM7e574b94ea23f6d90b0b30aa00e48079", CUSTOMER, "hi");
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(trusting.local(INBOUND))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Forwarded-Proto", "https")
                    .header("X-Forwarded-Host", "desk.example.com, internal-lb")
                    .header("X-Twilio-Signature", TwilioSignatures.sign(TOKEN, proxied, p))
                    .POST(HttpRequest.BodyPublishers.ofString(TestServer.form(p))).build());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        // Not trusted (the default): the same headers are ignored and the public base URL decides.
        Map<String, String> p = params();
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.local(INBOUND))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "desk.example.com")
                .header("X-Twilio-Signature", TwilioSignatures.sign(TOKEN, proxied, p))
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.form(p))).build());
        assertRefusedAndNothingStored(r);
    }

    @Test
    void mountedUnderAPrefixTheBaseUrlNamesTheMountPoint() throws Exception {
        try (TestServer prefixed = new TestServer(c -> c.publicBaseUrl(PUBLIC_BASE + "/sms"), s -> s, "/sms/*")) {
            assertThat(prefixed.local(INBOUND).getPath()).isEqualTo("/sms" + INBOUND);
            assertThat(prefixed.text(CUSTOMER, "hi").statusCode()).isEqualTo(200);
            assertThat(prefixed.memory.leads().listLeads(10)).hasSize(1);
        }
    }

    @Test
    void refusalLogNamesTheCheckedUrlButNeverTheToken() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Map<String, String> p = params();
            post(INBOUND + "?a=1", p, TwilioSignatures.sign("wrong-token", PUBLIC_BASE + INBOUND, p));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains(PUBLIC_BASE + INBOUND + "?a=1").doesNotContain(TOKEN).doesNotContain(CUSTOMER);
    }

    @Test
    void mountedAsTheDefaultServletPathsAreTheWholePath() throws Exception {
        try (TestServer root = new TestServer(c -> c, s -> s, "/")) {
            assertThat(root.text(CUSTOMER, "hi").statusCode()).isEqualTo(200);
            assertThat(root.get("/api/leads").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void formContentTypeWithCharsetIsAccepted() {
        Map<String, String> p = params();
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.local(INBOUND))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", TwilioSignatures.sign(TOKEN, PUBLIC_BASE + INBOUND, p))
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.form(p))).build());
        assertThat(r.statusCode()).isEqualTo(200);
    }
}
