package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.API_KEY;
import static dev.frontdesk.sms.servlet.TestServer.PUBLIC_BASE;
import static dev.frontdesk.sms.servlet.TestServer.TOKEN;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.servlet.StoreKind.Served;
import dev.frontdesk.sms.servlet.StoreKind.Snapshot;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #9, "Forgery and replay": a webhook whose signature does not validate stores and sends nothing,
 * whatever else it carries; a replayed valid webhook changes nothing; staff endpoints refuse missing, wrong,
 * empty and oversized keys with the contract's JSON 401, and cap sends per minute with a JSON 429.
 */
class ForgeryAndReplayTest {

    private static final long SEED = 0xF0_0009L;

    // ---------------------------------------------------------------- forged webhooks

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = {"MEMORY", "H2"})
    void noWebhookWithABadSignatureStoresOrSendsAnythingWhateverItCarries(StoreKind kind) throws Exception {
        try (Served s = kind.serve()) {
            Snapshot empty = s.snapshot();
            int forged403 = 0;
            for (int t = 0; t < 120; t++) {
                Fuzz f = new Fuzz(SEED + t);
                boolean inbound = f.chance(70);
                String path = inbound ? FrontDeskConfig.INBOUND_PATH : FrontDeskConfig.STATUS_PATH;
                Map<String, String> params = inbound ? HostileInputPropertyTest.inboundForm(f) : statusForm(f);
                if (f.chance(50)) {
                    // a form that would be accepted if it were signed: the signature is all that stops it
                    params = wellFormedInbound(f);
                    path = FrontDeskConfig.INBOUND_PATH;
                }
                String body = TestServer.form(params);
                String[] forged = forge(f, path, params);
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", "application/x-www-form-urlencoded");
                if (forged[0] != null) {
                    headers.put("X-Twilio-Signature", forged[0]);
                }
                HttpResponse<String> r = OneShotHttp.post(s.server.local(path), headers, forged[1].getBytes(StandardCharsets.UTF_8));
                String what = f + ", try " + t + ", forgery " + forged[2] + ", body " + HostileInputPropertyTest.LogPreview.of(body);

                HostileInputPropertyTest.assertContractAnswer(r, Set.of(400, 403, 413), what);
                if (r.statusCode() == 403) {
                    forged403++;
                    assertThat(TestServer.json(r).get("error").get("code").asText()).isEqualTo("invalid_signature");
                }
                assertThat(s.snapshot()).as("nothing stored or sent: " + what).isEqualTo(empty);
            }
            assertThat(s.server.frontDesk.processNextReply()).as("no reply job was enqueued").isFalse();
            assertThat(s.server.gateway.sent).isEmpty();
            assertThat(forged403).isGreaterThan(60);

            // Control: the same kind of form, signed properly, is accepted, so the refusals above are the signature's.
            Map<String, String> good = wellFormedInbound(new Fuzz(SEED));
            assertThat(s.server.webhook(FrontDeskConfig.INBOUND_PATH, good).statusCode()).isEqualTo(200);
            assertThat(s.snapshot().messages()).isEqualTo(1);
        }
    }

    private static Map<String, String> wellFormedInbound(Fuzz f) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", String.format("SM%032x", f.random.nextLong() & Long.MAX_VALUE));
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("From", String.format("+1555%07d", f.random.nextInt(10_000_000)));
        p.put("To", TestServer.BUSINESS_NUMBER);
        p.put("Body", f.validText());
        p.put("NumMedia", "0");
        return p;
    }

    private static Map<String, String> statusForm(Fuzz f) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", f.sid());
        p.put("MessageStatus", f.status());
        if (f.chance(30)) {
            p.put("ErrorCode", "21610");
        }
        return p;
    }

    /** A forged signature for {@code params}: {header or null, body to send, what was forged}. */
    private static String[] forge(Fuzz f, String path, Map<String, String> params) {
        String url = PUBLIC_BASE + path;
        String body = TestServer.form(params);
        switch (f.random.nextInt(10)) {
            case 0:
                return new String[] {null, body, "no header"};
            case 1:
                return new String[] {f.pick("", " ", "\t"), body, "empty header"};
            case 2:
                byte[] junk = new byte[1 + f.random.nextInt(40)];
                f.random.nextBytes(junk);
                return new String[] {java.util.Base64.getEncoder().encodeToString(junk), body, "random bytes"};
            case 3:
                return new String[] {TwilioSignatures.sign("0" + TOKEN.substring(1), url, params), body, "wrong token"};
            case 4:
                String other = f.pick("http://abc123.ngrok.io", "https://evil.example", "https://abc123.ngrok.io/", "https://ABC123.ngrok.io:443")
                        + path + f.pick("", "?x=1", "/");
                return new String[] {TwilioSignatures.sign(TOKEN, other, params), body, "other URL " + other};
            case 5: {
                Map<String, String> changed = new LinkedHashMap<>(params);
                String key = changed.isEmpty() ? "Body" : new ArrayList<>(changed.keySet()).get(f.random.nextInt(changed.size()));
                String signed = TwilioSignatures.sign(TOKEN, url, changed);
                changed.put(key, changed.getOrDefault(key, "") + "!");
                return new String[] {signed, TestServer.form(changed), "value changed after signing: " + key};
            }
            case 6: {
                Map<String, String> more = new LinkedHashMap<>(params);
                more.put("Body2", "injected");
                return new String[] {TwilioSignatures.sign(TOKEN, url, params), TestServer.form(more), "parameter added after signing"};
            }
            case 7: {
                Map<String, String> fewer = new LinkedHashMap<>(params);
                fewer.remove("NumMedia");
                fewer.remove("AccountSid");
                if (fewer.size() == params.size()) {
                    fewer.put("AccountSid", "AC1");
                }
                return new String[] {TwilioSignatures.sign(TOKEN, url, params), TestServer.form(fewer), "parameter removed after signing"};
            }
            case 8: {
                String good = TwilioSignatures.sign(TOKEN, url, params);
                return new String[] {good.substring(0, good.length() - 2) + (good.endsWith("A=") ? "B=" : "A="), body, "one character changed"};
            }
            default:
                return new String[] {"A".repeat(6000), body, "long header"};
        }
    }

    // ---------------------------------------------------------------- replay

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = {"MEMORY", "H2"})
    void aReplayedValidWebhookChangesNothing(StoreKind kind) throws Exception {
        try (Served s = kind.serve()) {
            Map<String, String> params = s.server.inboundParams("SM" + "a".repeat(32), "+15551234567", "Is anyone there?");
            assertThat(s.server.webhook(FrontDeskConfig.INBOUND_PATH, params).statusCode()).isEqualTo(200);
            while (s.server.frontDesk.processNextReply()) {
                // the one reply goes out
            }
            Snapshot answered = s.snapshot();
            assertThat(answered.sent()).isEqualTo(1);

            for (int i = 0; i < 3; i++) {
                assertThat(s.server.webhook(FrontDeskConfig.INBOUND_PATH, params).statusCode()).isEqualTo(200);
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> replays = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    replays.add(pool.submit(() -> s.server.webhook(FrontDeskConfig.INBOUND_PATH, params).statusCode()));
                }
                for (Future<Integer> replay : replays) {
                    assertThat(replay.get()).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(s.server.frontDesk.processNextReply()).as("no new reply job").isFalse();
            assertThat(s.snapshot()).isEqualTo(answered);

            // Status callbacks replayed out of order never move a message back.
            String sid = s.server.store.messages().findMessageBySid(params.get("MessageSid")).map(Message::leadId)
                    .map(lead -> s.server.store.messages().history(lead, 10).get(1).twilioSid()).orElseThrow();
            assertThat(s.server.status(sid, "delivered", null).statusCode()).isEqualTo(200);
            Message delivered = s.server.store.messages().findMessageBySid(sid).orElseThrow();
            s.server.clock.advance(Duration.ofMinutes(5));
            for (String replayed : List.of("sent", "queued", "delivered", "sending")) {
                assertThat(s.server.status(sid, replayed, null).statusCode()).isEqualTo(200);
            }
            Message after = s.server.store.messages().findMessageBySid(sid).orElseThrow();
            assertThat(after.status()).isEqualTo(MessageStatus.DELIVERED);
            assertThat(after.deliveredAt()).isEqualTo(delivered.deliveredAt());
            assertThat(s.snapshot()).isEqualTo(answered);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = {"MEMORY", "H2"})
    void aSignedFormReCutIntoANewMessageSidUnderTheSameSignatureIsRefused(StoreKind kind) throws Exception {
        try (Served s = kind.serve()) {
            String sid = "SMabc0123456789abcdef0123456789";
            sid = sid + "0".repeat(34 - sid.length()); // SM and 32 hex digits
            Map<String, String> original = new LinkedHashMap<>();
            original.put("AccountSid", "AC00000000000000000000000000000000");
            original.put("Body", "Is anyone there?");
            original.put("From", "+15551234567");
            original.put("MessageSid", sid);
            original.put("NumMedia", "0");
            original.put("To", TestServer.BUSINESS_NUMBER);
            String url = PUBLIC_BASE + FrontDeskConfig.INBOUND_PATH;
            String signature = TwilioSignatures.sign(TOKEN, url, original);
            assertThat(s.server.postForm(FrontDeskConfig.INBOUND_PATH, TestServer.form(original), signature).statusCode()).isEqualTo(200);
            while (s.server.frontDesk.processNextReply()) {
                // the one reply goes out
            }
            Snapshot answered = s.snapshot();
            assertThat(answered.sent()).isEqualTo(1);

            // Twilio signs URL + name + value of each parameter in order, with no separator: NumMedia=0 folded into
            // the SID's value leaves the signed string, and so the signature, as it was.
            Map<String, String> spliced = new LinkedHashMap<>(original);
            spliced.remove("NumMedia");
            spliced.put("MessageSid", sid + "NumMedia0");
            assertThat(new TwilioSignatures(TOKEN).isValid(url, spliced, signature)).as("the splice keeps the signature").isTrue();

            var refused = s.server.postForm(FrontDeskConfig.INBOUND_PATH, TestServer.form(spliced), signature);
            assertThat(assertError(refused, 400, "invalid_request").get("message").asText()).contains("MessageSid", "32 hex digits");
            assertThat(s.server.frontDesk.processNextReply()).as("no new reply job").isFalse();
            assertThat(s.snapshot()).as("nothing new stored or sent").isEqualTo(answered);
        }
    }

    @Test
    void aStatusCallbackWithAReCutMessageSidIsRefused() throws Exception {
        try (Served s = StoreKind.MEMORY.serve()) {
            String sid = String.format("SM%032x", 7);
            Map<String, String> original = new LinkedHashMap<>();
            original.put("AccountSid", "AC00000000000000000000000000000000");
            original.put("ErrorCode", "30003");
            original.put("MessageSid", sid);
            original.put("MessageStatus", "undelivered");
            original.put("SmsSid", sid);
            original.put("SmsStatus", "undelivered");
            String signature = TwilioSignatures.sign(TOKEN, PUBLIC_BASE + FrontDeskConfig.STATUS_PATH, original);
            // MessageStatus=undelivered folded into the SID: the signature holds, and SmsStatus still names a status.
            Map<String, String> spliced = new LinkedHashMap<>(original);
            spliced.remove("MessageStatus");
            spliced.put("MessageSid", sid + "MessageStatusundelivered");
            assertThat(new TwilioSignatures(TOKEN).isValid(PUBLIC_BASE + FrontDeskConfig.STATUS_PATH, spliced, signature)).isTrue();
            assertError(s.server.postForm(FrontDeskConfig.STATUS_PATH, TestServer.form(spliced), signature), 400, "invalid_request");
            assertThat(s.server.postForm(FrontDeskConfig.STATUS_PATH, TestServer.form(original), signature).statusCode())
                    .as("the form as signed").isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- staff keys

    @Test
    void staffEndpointsRefuseMissingWrongEmptyAndOversizedKeysWithJson401() throws Exception {
        // A container that lets a 100 KB header through, so the check is the servlet's own.
        try (Served s = StoreKind.MEMORY.serve(c -> c, 256 * 1024)) {
            List<String> refused = new ArrayList<>(List.of("", "Bearer", "Bearer ", "Bearer  ", "bearer", API_KEY,
                    "Bearer " + API_KEY.substring(0, API_KEY.length() - 1), "Bearer " + API_KEY + "0",
                    "Bearer " + API_KEY.toUpperCase(), "Bearer " + API_KEY.replace('-', ' '), "Basic " + API_KEY,
                    "Bearer " + API_KEY + "," + API_KEY, "Bearer é" + API_KEY, "Bearer " + "k".repeat(100 * 1024),
                    "Bearer " + API_KEY + "x".repeat(100 * 1024), "Bearer " + API_KEY.repeat(2)));
            refused.add(null);
            for (String header : refused) {
                // Wrong keys are throttled per address after a burst (StaffKeyThrottleTest); here each is a fresh try.
                s.server.clock.advance(java.time.Duration.ofMinutes(1));
                for (String path : List.of("/api/leads", "/api/leads/1/sms", "/api/twilio/status")) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(s.server.local(path)).GET();
                    if (header != null) {
                        b.header("Authorization", header);
                    }
                    HttpResponse<String> r = s.server.send(b.build());
                    assertError(r, 401, "unauthorized");
                    assertThat(r.body()).doesNotContain(API_KEY).hasSizeLessThan(1000);
                }
                HttpRequest.Builder post = HttpRequest.newBuilder(s.server.local("/api/twilio/sms/outbound"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"phoneNumber\": \"+15551234567\", \"message\": \"hi\"}"));
                if (header != null) {
                    post.header("Authorization", header);
                }
                assertError(s.server.send(post.build()), 401, "unauthorized");
            }
            assertThat(s.server.gateway.sent).isEmpty();
            assertThat(s.snapshot().leads()).isZero();
            HttpResponse<String> ok = s.server.get("/api/leads");
            assertThat(ok.statusCode()).as("the real key still works: %s", ok.body()).isEqualTo(200);
        }
    }

    @Test
    void staffSendsPastThePerMinuteCapGetAJson429AndStoreNothing() throws Exception {
        try (Served s = StoreKind.MEMORY.serve(c -> c.outboundPerMinute(2), 8 * 1024)) {
            String json = "{\"phoneNumber\": \"+15551234567\", \"message\": \"On our way.\"}";
            assertThat(s.server.postJson("/api/twilio/sms/outbound", json).statusCode()).isEqualTo(201);
            assertThat(s.server.postJson("/api/twilio/sms/outbound", json).statusCode()).isEqualTo(201);
            Snapshot before = s.snapshot();

            HttpResponse<String> limited = s.server.postJson("/api/twilio/sms/outbound",
                    "{\"phoneNumber\": \"+15557654321\", \"message\": \"Hello\"}");
            assertError(limited, 429, "rate_limited");
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(TestServer.json(limited).get("error").get("message").asText()).contains("OUTBOUND_PER_MINUTE");
            assertThat(s.snapshot()).isEqualTo(before);

            s.server.clock.advance(Duration.ofSeconds(61));
            assertThat(s.server.postJson("/api/twilio/sms/outbound", json).statusCode()).isEqualTo(201);
            assertThat(s.server.store.leads().findLeadByPhone(new PhoneNumber("+15557654321"))).isEmpty();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
