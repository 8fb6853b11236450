package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.API_KEY;
import static dev.frontdesk.sms.servlet.TestServer.BUSINESS_NUMBER;
import static dev.frontdesk.sms.servlet.TestServer.PUBLIC_BASE;
import static dev.frontdesk.sms.servlet.TestServer.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.http.internal.ApiError;
import dev.frontdesk.sms.http.internal.Forms;
import dev.frontdesk.sms.servlet.StoreKind.Served;
import dev.frontdesk.sms.servlet.StoreKind.Snapshot;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #9, "Hostile input never breaks the service": property tests over the inbound webhook form, the
 * status callback and the staff outbound JSON, through real HTTP into embedded Jetty, on every store.
 * Each try is generated from a fixed seed ({@link Fuzz}); the number of tries is bounded so the whole class
 * runs in seconds. For every input: a 2xx, or the contract's 4xx JSON error; never a 5xx while the store is
 * up; a refused request changes nothing; the store never holds a half-written row.
 */
class HostileInputPropertyTest {

    private static final long SEED = 0x5EC_0009L;
    private static final Set<Integer> WEBHOOK_ANSWERS = Set.of(200, 400, 413);
    private static final Set<Integer> OUTBOUND_ANSWERS = Set.of(201, 400, 404, 409, 413);

    private static int tries(StoreKind kind, int memory) {
        return switch (kind) {
            case MEMORY -> memory;
            case H2 -> memory / 2;
            case POSTGRES -> memory / 4;
        };
    }

    private static Served serve(StoreKind kind) {
        return kind.serve(c -> c.outboundPerMinute(1_000_000).aiRepliesPerLeadPerHour(1_000_000), 8 * 1024);
    }

    // ---------------------------------------------------------------- inbound webhook

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anySignedInboundFormGetsAContractAnswerAndLeavesNoHalfWrittenRow(StoreKind kind) throws Exception {
        try (Served s = serve(kind)) {
            int accepted = 0;
            for (int t = 0; t < tries(kind, 120); t++) {
                Fuzz f = new Fuzz(SEED + t);
                byte[] body = f.form(inboundForm(f));
                Snapshot before = s.snapshot();
                HttpResponse<String> r = postSigned(s.server, FrontDeskConfig.INBOUND_PATH, body);
                String what = f + ", try " + t + ", body " + preview(body);

                assertContractAnswer(r, WEBHOOK_ANSWERS, what);
                Snapshot after = s.snapshot();
                if (r.statusCode() == 200) {
                    accepted++;
                    assertThat(r.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/xml"));
                    assertThat(after.messages() - before.messages()).as(what).isBetween(0, 1);
                    assertThat(after.leads() - before.leads()).as(what).isBetween(0, 1);
                } else {
                    assertThat(after).as("a refused webhook changes nothing: " + what).isEqualTo(before);
                }
                if (t % 20 == 19) {
                    while (s.server.frontDesk.processNextReply()) {
                        // replies to whatever was accepted go out through the recording gateway
                    }
                    s.assertConsistent();
                }
            }
            s.assertConsistent();
            assertThat(accepted).as("the generator also makes acceptable forms").isGreaterThan(tries(kind, 120) / 5);
        }
    }

    static Map<String, String> inboundForm(Fuzz f) {
        Map<String, String> p = new LinkedHashMap<>();
        boolean clean = f.chance(35);
        if (!f.chance(4)) {
            p.put(f.chance(10) ? "SmsMessageSid" : "MessageSid", clean ? String.format("SM%032x", f.random.nextLong() & Long.MAX_VALUE) : f.sid());
        }
        if (!f.chance(4)) {
            p.put("From", clean ? String.format("+1555%07d", f.random.nextInt(10_000_000)) : f.phone());
        }
        if (f.chance(90)) {
            p.put("To", clean || f.chance(80) ? BUSINESS_NUMBER : f.text());
        }
        if (f.chance(95)) {
            p.put("Body", clean ? f.validText() : f.text());
        }
        if (f.chance(50)) {
            p.put("NumMedia", f.number());
        }
        if (f.chance(40)) {
            p.put("MediaUrl0", f.chance(70) ? "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1" : f.text());
        }
        if (f.chance(30)) {
            p.put("MediaContentType0", f.chance(50) ? "image/jpeg" : f.text());
        }
        if (f.chance(50)) {
            p.put("NumSegments", f.number());
        }
        if (f.chance(15)) {
            p.put("OptOutType", f.pick("STOP", "START", "HELP", "stop", f.text()));
        }
        if (f.chance(25)) {
            p.put(f.chance(50) ? "AccountSid" : "MessagingServiceSid", f.text());
        }
        if (f.chance(25)) {
            p.put(f.text(), f.text());
        }
        return p;
    }

    // ---------------------------------------------------------------- status callback

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anySignedStatusCallbackGetsAContractAnswerAndStatusOnlyMovesForward(StoreKind kind) throws Exception {
        try (Served s = serve(kind)) {
            HttpResponse<String> sent = s.server.postJson("/api/twilio/sms/outbound",
                    "{\"phoneNumber\": \"+15551234567\", \"message\": \"We can come at 3pm.\"}");
            assertThat(sent.statusCode()).isEqualTo(201);
            String knownSid = TestServer.json(sent).get("message").get("twilioSid").asText();
            MessageStatus status = s.server.store.messages().findMessageBySid(knownSid).orElseThrow().status();

            for (int t = 0; t < tries(kind, 100); t++) {
                Fuzz f = new Fuzz(SEED + 10_000 + t);
                Map<String, String> p = new LinkedHashMap<>();
                if (!f.chance(5)) {
                    p.put(f.chance(10) ? "SmsSid" : "MessageSid", f.chance(50) ? knownSid : f.sid());
                }
                if (!f.chance(5)) {
                    p.put(f.chance(10) ? "SmsStatus" : "MessageStatus", f.status());
                }
                if (f.chance(40)) {
                    p.put("ErrorCode", f.chance(30) ? f.pick("30003", "21610", "30007") : f.chance(50) ? f.number() : f.text());
                }
                if (f.chance(30)) {
                    p.put(f.text(), f.text());
                }
                byte[] body = f.form(p);
                Snapshot before = s.snapshot();
                HttpResponse<String> r = postSigned(s.server, FrontDeskConfig.STATUS_PATH, body);
                String what = f + ", try " + t + ", body " + preview(body);

                assertContractAnswer(r, WEBHOOK_ANSWERS, what);
                Snapshot after = s.snapshot();
                assertThat(after.messages()).as(what).isEqualTo(before.messages());
                assertThat(after.leads()).as(what).isEqualTo(before.leads());
                MessageStatus now = s.server.store.messages().findMessageBySid(knownSid).orElseThrow().status();
                assertThat(now == status || status.canMoveTo(now)).as("status moved from %s to %s: %s", status, now, what).isTrue();
                status = now;
            }
            s.assertConsistent();
        }
    }

    // ---------------------------------------------------------------- staff outbound JSON

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anyOutboundJsonGetsAContractAnswerAndARefusalStoresNothing(StoreKind kind) throws Exception {
        try (Served s = serve(kind)) {
            s.server.text("+15551234567", "hi");
            long knownLead = s.server.store.leads().findLeadByPhone(new PhoneNumber("+15551234567")).orElseThrow().id();
            int created = 0;
            for (int t = 0; t < tries(kind, 80); t++) {
                Fuzz f = new Fuzz(SEED + 20_000 + t);
                String message = f.chance(50) ? f.validText() : f.text();

                byte[] body = outboundJson(f, knownLead, message);
                Snapshot before = s.snapshot();
                HttpResponse<String> r = OneShotHttp.post(s.server.local("/api/twilio/sms/outbound"), Map.of(
                        "Authorization", "Bearer " + API_KEY,
                        "Content-Type", f.pick("application/json", "application/json; charset=utf-8", "Application/JSON")), body);
                String what = f + ", try " + t + ", body " + preview(body);

                assertContractAnswer(r, OUTBOUND_ANSWERS, what);
                Snapshot after = s.snapshot();
                if (r.statusCode() == 201) {
                    created++;
                    assertThat(after.messages() - before.messages()).as(what).isEqualTo(1);
                    JsonNode stored = TestServer.json(r).get("message");
                    Message m = s.server.store.messages().findMessage(stored.get("id").asLong()).orElseThrow();
                    assertThat(stored.get("body").asText()).as(what).isEqualTo(m.body());
                } else {
                    assertThat(after).as("a refused send stores nothing: " + what).isEqualTo(before);
                }
            }
            s.assertConsistent();
            assertThat(created).as("the generator also makes acceptable requests").isGreaterThan(tries(kind, 80) / 15);
        }
    }

    private static final String[] BROKEN_JSON = {
        "", " ", "{", "}", "[]", "null", "1", "\"text\"", "{\"message\": \"hi\"} trailing", "{\"message\": NaN}",
        "{'message': 'hi', 'leadId': 1}", "{\"message\": \"\\ud800\", \"leadId\": 1}", "\uFEFF{\"message\":\"hi\",\"leadId\":1}",
        "{\"leadId\": 1, \"leadId\": 2, \"message\": \"twice\"}", "{\"message\": \"hi\", \"leadId\": 00012}",
        "{\"message\": \"hi\", \"leadId\": 0x10}", "{\"message\": \"hi\", \"leadId\": Infinity}", "{\"message\": \"a\u0000b\", \"leadId\": 1}",
        "{\"message\": \"hi\\u0000\", \"leadId\": 1}", "[".repeat(5000) + "]".repeat(5000),
        "{\"a\":".repeat(2000) + "1" + "}".repeat(2000)};

    private static byte[] outboundJson(Fuzz f, long knownLead, String message) {
        if (f.chance(12)) {
            return f.pick(BROKEN_JSON).getBytes(StandardCharsets.UTF_8);
        }
        if (f.chance(4)) {
            byte[] prefix = "{\"leadId\": 1, \"message\": \"bad ".getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[prefix.length + 5];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            System.arraycopy(new byte[] {(byte) 0xFF, (byte) 0xC3, 0x28, '"', '}'}, 0, out, prefix.length, 5);
            return out;
        }
        JsonNodeFactory n = JsonNodeFactory.instance;
        ObjectNode o = n.objectNode();
        switch (f.random.nextInt(8)) {
            case 0 -> { }
            case 1, 2 -> o.put("leadId", knownLead);
            case 3 -> o.put("leadId", Long.toString(knownLead));
            case 4 -> o.put("leadId", f.random.nextInt(1000) - 100);
            case 5 -> o.set("leadId", n.numberNode(new java.math.BigDecimal(f.pick("1.5", "1e3", "1E400", "-0", "9223372036854775808", "1.0"))));
            case 6 -> o.put("leadId", f.number());
            default -> o.set("leadId", f.chance(50) ? n.booleanNode(true) : f.chance(50) ? n.arrayNode() : n.nullNode());
        }
        switch (f.random.nextInt(5)) {
            case 0 -> { }
            case 1 -> o.put("phoneNumber", "+15551234567");
            case 2 -> o.put("phoneNumber", f.phone());
            case 3 -> o.put("phoneNumber", f.random.nextInt());
            default -> o.put("phoneNumber", String.format("+1555%07d", f.random.nextInt(10_000_000)));
        }
        if (!f.chance(5)) {
            if (f.chance(5)) {
                o.put("message", f.random.nextInt());
            } else {
                o.put("message", message);
            }
        }
        if (f.chance(20)) {
            o.put(f.text(), f.text());
        }
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- byte for byte

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void validCustomerTextIsStoredAndServedByteForByte(StoreKind kind) throws Exception {
        try (Served s = serve(kind)) {
            List<String> texts = new ArrayList<>(Fuzz.VALID_TEXTS);
            Fuzz f = new Fuzz(SEED + 30_000);
            for (int i = 0; i < tries(kind, 60); i++) {
                texts.add(f.validText());
            }
            String customer = "+15559876543";
            for (String text : texts) {
                HttpResponse<String> r = s.server.text(customer, text);
                assertThat(r.statusCode()).as("%s", text).isEqualTo(200);
            }
            Lead lead = s.server.store.leads().findLeadByPhone(new PhoneNumber(customer)).orElseThrow();

            assertThat(s.server.store.messages().history(lead.id(), 1000)).extracting(Message::body).containsExactlyElementsOf(texts);
            HttpResponse<String> api = s.server.get("/api/leads/" + lead.id() + "/sms?limit=1000");
            assertThat(api.statusCode()).isEqualTo(200);
            List<String> served = new ArrayList<>();
            TestServer.json(api).get("messages").forEach(m -> served.add(m.get("body").asText()));
            assertThat(served).containsExactlyElementsOf(texts);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Posts a raw form body, signed the way Twilio would sign the parameters the server will read from it. */
    static HttpResponse<String> postSigned(TestServer server, String path, byte[] body) {
        Map<String, String> params;
        try {
            params = Forms.parse(new String(body, StandardCharsets.UTF_8), "form body", true);
        } catch (ApiError e) {
            params = Map.of(); // the server refuses the form before looking at the signature
        }
        String signature = TwilioSignatures.sign(TOKEN, PUBLIC_BASE + server.mount + path, params);
        return OneShotHttp.post(server.local(path), Map.of("Content-Type", "application/x-www-form-urlencoded",
                "X-Twilio-Signature", signature), body);
    }

    /** A status from {@code allowed}; never a 5xx; an error is the contract's JSON error. */
    static void assertContractAnswer(HttpResponse<String> r, Set<Integer> allowed, String what) {
        assertThat(r.statusCode()).as("status for %s; answer %s", what, LogPreview.of(r.body())).isIn(allowed);
        if (r.statusCode() >= 400) {
            assertThat(r.headers().firstValue("Content-Type")).as(what).hasValue("application/json");
            JsonNode error = TestServer.json(r).get("error");
            assertThat(error).as(what).isNotNull();
            assertThat(error.get("code").asText()).as(what).matches("[a-z_]+");
            assertThat(error.get("message").asText()).as(what).hasSizeGreaterThan(15).doesNotContain("Exception");
        }
    }

    static String preview(byte[] body) {
        return LogPreview.of(new String(body, StandardCharsets.UTF_8));
    }

    /** Short, printable previews of generated input for assertion messages. */
    static final class LogPreview {
        static String of(String s) {
            String p = s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
            StringBuilder b = new StringBuilder();
            p.codePoints().forEach(cp -> {
                if (cp < 0x20 || cp == 0x7F) {
                    b.append(String.format("\\x%02x", cp));
                } else {
                    b.appendCodePoint(cp);
                }
            });
            return b.toString();
        }
    }
}
