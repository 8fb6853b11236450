package dev.frontdesk.sms.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.InvalidPhoneNumberException;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Plays Twilio for local work without a tunnel: posts correctly signed webhooks to the running app and
 * prints what it answered. It reads the same configuration as the app (environment over {@code .env}),
 * signs with {@code TWILIO_AUTH_TOKEN} or, without one, with the app's local signing token from
 * {@code data/}, and signs for the URL the app validates against ({@code PUBLIC_BASE_URL} + path) while
 * posting to {@code http://localhost:$PORT} (or {@code --url}). Not thread-safe; one run per instance.
 */
final class Simulator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;
    private final Path workDir;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Simulator(Map<String, String> env, Path workDir, PrintStream out, PrintStream err) {
        this.env = env;
        this.workDir = workDir;
        this.out = out;
        this.err = err;
    }

    /** Runs {@code simulate ...} or {@code simulate-status ...}; returns the process exit code. */
    int run(String[] args) {
        try {
            Map<String, List<String>> opts = options(args);
            FrontDeskConfig config = FrontDeskConfig.fromEnvironment(env);
            int port = ExampleSettings.fromEnvironment(env).port();
            if (var("PUBLIC_BASE_URL") == null) {
                config = config.toBuilder().publicBaseUrl("http://localhost:" + port).build(); // as the app does
            }
            return switch (args[0]) {
                case "simulate" -> inbound(config, opts);
                case "simulate-status" -> status(config, opts);
                case "simulate-call" -> call(config, opts);
                default -> usage("Unknown command " + args[0]);
            };
        } catch (IllegalArgumentException | ConfigurationException | InvalidPhoneNumberException e) {
            return usage(e.getMessage());
        } catch (ConnectException e) {
            err.println("❌ Could not connect to the app. Is it running? Start it with: java -jar examples/target/frontdesk-example.jar");
            return 1;
        } catch (IOException e) {
            err.println("❌ " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int inbound(FrontDeskConfig config, Map<String, List<String>> opts) throws IOException, InterruptedException {
        PhoneNumber from = PhoneNumber.parse(required(opts, "from"), config.business().defaultRegion());
        String body = required(opts, "body");
        String to = one(opts, "to").orElse(config.twilio().phoneNumber() != null ? config.twilio().phoneNumber().value() : "+15550001234");
        String sid = ConsoleSmsGateway.newSid();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("SmsSid", sid);
        params.put("SmsMessageSid", sid);
        params.put("AccountSid", accountSid(config));
        params.put("From", from.value());
        params.put("To", PhoneNumber.parse(to, config.business().defaultRegion()).value());
        params.put("Body", body);
        List<String> media = opts.getOrDefault("media", List.of());
        params.put("NumMedia", String.valueOf(media.size()));
        for (int i = 0; i < media.size(); i++) {
            params.put("MediaUrl" + i, media.get(i));
            params.put("MediaContentType" + i, "image/jpeg");
        }
        params.put("NumSegments", "1");
        params.put("SmsStatus", "received");
        params.put("ApiVersion", "2010-04-01");

        HttpResponse<String> answer = post(config, FrontDeskConfig.INBOUND_PATH, config.inboundWebhookUrl(), params, opts);
        if (answer.statusCode() != 200) {
            return 1;
        }
        if (opts.containsKey("no-wait")) {
            return 0;
        }
        Keyword keyword = Keyword.detect(body, null);
        if (keyword != Keyword.NONE) {
            out.println("(" + body.strip().toUpperCase(java.util.Locale.ROOT) + " is a carrier keyword: the app records it"
                    + (keyword == Keyword.OPT_OUT ? " and opts the customer out" : keyword == Keyword.OPT_IN ? " and opts the customer back in" : "")
                    + ", and sends no AI reply.)");
            return 0;
        }
        return awaitReply(config, opts, from, sid, 0);
    }

    /**
     * A call to the business as Twilio posts it: the voice webhook, then, when the app forwards the call
     * ({@code <Dial>}), the dial status: {@code completed} with {@code --answered}, else {@code no-answer}. A missed
     * call's text is awaited like a reply.
     */
    private int call(FrontDeskConfig config, Map<String, List<String>> opts) throws IOException, InterruptedException {
        PhoneNumber from = PhoneNumber.parse(required(opts, "from"), config.business().defaultRegion());
        String to = one(opts, "to").orElse(config.twilio().phoneNumber() != null ? config.twilio().phoneNumber().value() : "+15550001234");
        boolean answered = opts.containsKey("answered");
        String callSid = "CA" + ConsoleSmsGateway.newSid().substring(2);
        long before = latestMessageId(config, opts, from);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", callSid);
        params.put("AccountSid", accountSid(config));
        params.put("From", from.value());
        params.put("To", PhoneNumber.parse(to, config.business().defaultRegion()).value());
        params.put("CallStatus", "ringing");
        params.put("Direction", "inbound");
        params.put("ApiVersion", "2010-04-01");
        HttpResponse<String> answer = post(config, FrontDeskConfig.VOICE_INBOUND_PATH, config.voiceWebhookUrl(), params, opts);
        if (answer.statusCode() != 200) {
            return 1;
        }
        boolean forwarded = answer.body().contains("<Dial");
        if (forwarded) {
            out.println("(The app forwards the call to OWNER_PHONE_NUMBER; the owner " + (answered ? "answers." : "does not answer.") + ")");
            params.put("CallStatus", "in-progress");
            params.put("DialCallSid", "CA" + ConsoleSmsGateway.newSid().substring(2));
            params.put("DialCallStatus", answered ? "completed" : "no-answer");
            params.put("DialCallDuration", answered ? "42" : "0");
            String dialUrl = config.twilio().publicBaseUrl() + FrontDeskConfig.VOICE_DIAL_STATUS_PATH;
            if (post(config, FrontDeskConfig.VOICE_DIAL_STATUS_PATH, dialUrl, params, opts).statusCode() != 200) {
                return 1;
            }
        } else if (answered) {
            out.println("(No OWNER_PHONE_NUMBER: nobody can answer, so --answered changes nothing; the caller is texted.)");
        }
        if (forwarded && answered) {
            out.println("(Answered: the app sends no text.)");
            return 0;
        }
        if (opts.containsKey("no-wait")) {
            return 0;
        }
        return awaitReply(config, opts, from, null, before);
    }

    /** The id of the newest message of the number's SMS lead, 0 when there is none (or no key to ask with). */
    private long latestMessageId(FrontDeskConfig config, Map<String, List<String>> opts, PhoneNumber from)
            throws IOException, InterruptedException {
        Optional<String> key = apiKey(config);
        if (key.isEmpty()) {
            return 0;
        }
        JsonNode leads = getJson(baseUrl(config, opts) + "/api/leads?phone=" + enc(from.value()), key.get());
        long latest = 0;
        for (JsonNode lead : leads == null ? JSON.createArrayNode() : leads.path("leads")) {
            if ("sms".equals(lead.path("channel").asText("sms")) && lead.path("lastMessage").isObject()) {
                latest = Math.max(latest, lead.path("lastMessage").path("id").asLong());
            }
        }
        return latest;
    }

    private int status(FrontDeskConfig config, Map<String, List<String>> opts) throws IOException, InterruptedException {
        String sid = required(opts, "sid");
        if (!InboundSms.MESSAGE_SID.matcher(sid).matches()) {
            throw new IllegalArgumentException("--sid must be a Twilio message SID: SM or MM and 32 hex digits, as in the reply's twilioSid.");
        }
        String status = required(opts, "status");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("SmsSid", sid);
        params.put("MessageStatus", status);
        params.put("SmsStatus", status);
        params.put("AccountSid", accountSid(config));
        one(opts, "error-code").ifPresent(code -> params.put("ErrorCode", code));
        if (config.twilio().phoneNumber() != null) {
            params.put("From", config.twilio().phoneNumber().value());
        }
        params.put("ApiVersion", "2010-04-01");
        HttpResponse<String> answer = post(config, FrontDeskConfig.STATUS_PATH, config.statusCallbackUrl(), params, opts);
        return answer.statusCode() == 200 ? 0 : 1;
    }

    private HttpResponse<String> post(FrontDeskConfig config, String path, String signedUrl, Map<String, String> params,
                                      Map<String, List<String>> opts) throws IOException, InterruptedException {
        String token = signingToken(config);
        String target = baseUrl(config, opts) + path;
        String form = params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(target))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", TwilioSignatures.sign(token, signedUrl, params))
                .header("User-Agent", "frontdesk-simulator (TwilioProxy/1.1 stand-in)")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        out.println("→ POST " + target + (target.equals(signedUrl) ? "" : " (signed for " + signedUrl + ")"));
        out.println("  " + params.entrySet().stream().filter(e -> !e.getKey().startsWith("Sms") && !e.getKey().equals("ApiVersion"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        out.println("← " + response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("") + " "
                + response.body());
        if (response.statusCode() == 403) {
            err.println("❌ The app refused the signature. The simulator signs with "
                    + (var("TWILIO_AUTH_TOKEN") != null ? "TWILIO_AUTH_TOKEN" : "the local token in data/" + LocalSecrets.FILE_NAME)
                    + " for " + signedUrl + "; run it from the app's directory with the same .env / environment (PUBLIC_BASE_URL, PORT, TWILIO_AUTH_TOKEN).");
        }
        return response;
    }

    /**
     * Polls the staff API until the app's reply to our message ({@code inboundSid}) is recorded, and prints it; with
     * no {@code inboundSid}, the first text the app sends after message {@code afterMessageId} (a missed call's).
     */
    private int awaitReply(FrontDeskConfig config, Map<String, List<String>> opts, PhoneNumber from, String inboundSid,
                           long afterMessageId) throws IOException, InterruptedException {
        Optional<String> key = apiKey(config);
        if (key.isEmpty()) {
            out.println("(No FRONTDESK_API_KEY and no data/" + LocalSecrets.FILE_NAME + " here: not waiting for the reply; see the dashboard.)");
            return 0;
        }
        String base = baseUrl(config, opts);
        int waitSeconds = Integer.parseInt(one(opts, "wait-seconds").orElse("30"));
        Instant deadline = Instant.now().plusSeconds(waitSeconds);
        out.println("… waiting up to " + waitSeconds + " s for the reply");
        while (Instant.now().isBefore(deadline)) {
            JsonNode leads = getJson(base + "/api/leads?phone=" + enc(from.value()), key.get());
            JsonNode lead = smsLead(leads);
            if (lead != null) {
                long leadId = lead.path("id").asLong();
                if (lead.path("smsOptOut").asBoolean()) {
                    out.println("The customer has opted out (texted STOP): the app sends them nothing until they text START.");
                    return 0;
                }
                JsonNode history = getJson(base + "/api/leads/" + leadId + "/sms", key.get());
                long inboundId = -1;
                for (JsonNode m : history == null ? JSON.createArrayNode() : history.path("messages")) {
                    long id = m.path("id").asLong();
                    boolean start = inboundSid == null ? inboundId < 0 && id > afterMessageId : inboundSid.equals(m.path("twilioSid").asText());
                    if (start) {
                        inboundId = id;
                    }
                    boolean after = inboundSid == null ? inboundId >= 0 : inboundId >= 0 && id > inboundId;
                    if (after && "outbound".equals(m.path("direction").asText())
                            && !"pending".equals(m.path("status").asText())) {
                        out.println("💬 Reply to " + m.path("to").asText() + " [status " + m.path("status").asText()
                                + (m.path("errorCode").isTextual() ? ", error " + m.path("errorCode").asText() : "") + "]: "
                                + m.path("body").asText());
                        out.println("   Lead " + leadId + " in the dashboard: " + base + "/#/leads/" + leadId);
                        return 0;
                    }
                }
            }
            Thread.sleep(250);
        }
        out.println("No reply within " + waitSeconds + " s (STOP/START/HELP keywords and opted-out leads get none); see the app's log.");
        return 0;
    }

    /** The SMS lead among {@code GET /api/leads?phone=}'s answer (a number may also have a WhatsApp lead), or null. */
    private static JsonNode smsLead(JsonNode leads) {
        for (JsonNode lead : leads == null ? JSON.createArrayNode() : leads.path("leads")) {
            if ("sms".equals(lead.path("channel").asText("sms"))) {
                return lead;
            }
        }
        return null;
    }

    private JsonNode getJson(String url, String key) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 401) {
            throw new IOException("The app refused the API key; set FRONTDESK_API_KEY as the app has it, or use --no-wait.");
        }
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private String signingToken(FrontDeskConfig config) {
        if (var("TWILIO_AUTH_TOKEN") != null) {
            return var("TWILIO_AUTH_TOKEN");
        }
        return LocalSecrets.find(dataDir()).map(LocalSecrets::signingToken).orElseThrow(() -> new IllegalArgumentException(
                "No TWILIO_AUTH_TOKEN and no " + dataDir().resolve(LocalSecrets.FILE_NAME) + ": start the app once in this directory "
                        + "(it makes the local signing token), or run the simulator where the app runs."));
    }

    private Optional<String> apiKey(FrontDeskConfig config) {
        if (var("FRONTDESK_API_KEY") != null) {
            return Optional.of(var("FRONTDESK_API_KEY"));
        }
        return LocalSecrets.find(dataDir()).map(LocalSecrets::apiKey);
    }

    private Path dataDir() {
        return workDir.resolve("data");
    }

    private String baseUrl(FrontDeskConfig config, Map<String, List<String>> opts) {
        String url = one(opts, "url").orElse("http://localhost:" + ExampleSettings.fromEnvironment(env).port());
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private String accountSid(FrontDeskConfig config) {
        return var("TWILIO_ACCOUNT_SID") != null ? var("TWILIO_ACCOUNT_SID") : "AC" + "0".repeat(32);
    }

    /** A variable of the app's environment; blank counts as unset. */
    private String var(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private int usage(String problem) {
        err.println("❌ " + problem + "\n\n" + Main.USAGE);
        return 2;
    }

    /** {@code --name value} pairs (a name may repeat) and {@code --flag}s, after the command word. */
    static Map<String, List<String>> options(String[] args) {
        Map<String, List<String>> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("Unexpected argument '" + a + "'; options look like --from +15551234567.");
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                opts.computeIfAbsent(name.substring(0, eq), k -> new ArrayList<>()).add(name.substring(eq + 1));
            } else if (name.equals("no-wait") || name.equals("answered")) {
                opts.put(name, List.of());
            } else if (i + 1 < args.length) {
                opts.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value.");
            }
        }
        return opts;
    }

    private static String required(Map<String, List<String>> opts, String name) {
        return one(opts, name).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("--" + name + " is required."));
    }

    private static Optional<String> one(Map<String, List<String>> opts, String name) {
        List<String> v = opts.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
