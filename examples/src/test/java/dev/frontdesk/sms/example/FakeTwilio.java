package dev.frontdesk.sms.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Twilio's Messages API, faked: answers each {@code POST /2010-04-01/Accounts/{AC}/Messages.json} as
 * {@link #behaviour} says (201 with a fresh SID, or an error with Twilio's code and an optional
 * {@code Retry-After}, after a delay), and records every request: who sent it (the account SID, one per
 * app process in these tests), to whom, when, and what it answered. Counts requests on the wire at once.
 */
final class FakeTwilio implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\\.json");

    /** What to answer; {@code attempt} counts requests to the same {@code To}, from 1. */
    interface Behaviour {
        Answer answer(String to, String body, int attempt);
    }

    record Answer(int status, long delayMillis, Integer code, String retryAfter) {
        static Answer created(long delayMillis) {
            return new Answer(201, delayMillis, null, null);
        }

        static Answer error(int status, int code, String retryAfter) {
            return new Answer(status, 0, code, retryAfter);
        }
    }

    /** One request as the fake saw it; {@code answered} is false when the answer could not be written. */
    record Request(String account, String to, String body, Instant receivedAt, Instant answeredAt, int status, String sid, boolean answered) {
        boolean accepted() {
            return status == 201;
        }
    }

    volatile Behaviour behaviour = (to, body, attempt) -> Answer.created(0);
    final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong sids = new AtomicLong();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    FakeTwilio() {
        server = TestHttp.loopbackServer(this::handle, threads);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    void resetMaxInFlight() {
        maxInFlight.set(inFlight.get());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requestsTo(String to) {
        return requests.stream().filter(r -> r.to().equals(to)).toList();
    }

    /** Accepted (201) sends per recipient. */
    Map<String, Long> acceptedPerTo() {
        return requests.stream().filter(Request::accepted).collect(Collectors.groupingBy(Request::to, Collectors.counting()));
    }

    long acceptedTotal() {
        return requests.stream().filter(Request::accepted).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        Instant received = Instant.now();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        int status = 0;
        String sid = null;
        String to = "";
        String body = "";
        String account = "";
        boolean answered = false;
        boolean counted = true;
        try {
            Matcher m = PATH.matcher(ex.getRequestURI().getPath());
            if (!"POST".equals(ex.getRequestMethod()) || !m.matches()) {
                status = 404;
                write(ex, 404, "{\"code\": 20404, \"message\": \"The requested resource was not found\", \"status\": 404}", null);
                answered = true;
                return;
            }
            account = m.group(1);
            Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            to = form.getOrDefault("To", "");
            body = form.getOrDefault("Body", "");
            int attempt = attempts.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
            Answer a = behaviour.answer(to, body, attempt);
            if (a.delayMillis() > 0) {
                Thread.sleep(a.delayMillis());
            }
            status = a.status();
            // No longer "on the wire" once the answer is ready: the sender holds its slot until it has read
            // the answer, so counting until after the write would see the next request overlap this one.
            inFlight.decrementAndGet();
            counted = false;
            if (status == 201) {
                sid = String.format("SM%032x", sids.incrementAndGet());
                write(ex, 201, created(account, sid, to, form.getOrDefault("From", "+15557654321"), body), null);
            } else {
                write(ex, status, "{\"code\": " + a.code() + ", \"message\": \"Fake Twilio error " + a.code()
                        + "\", \"more_info\": \"https://www.twilio.com/docs/errors/" + a.code() + "\", \"status\": " + status + "}",
                        a.retryAfter());
            }
            answered = true;
        } catch (IOException e) {
            answered = false; // the sender went away (killed) before reading the answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
            requests.add(new Request(account, to, body, received, Instant.now(), status, sid, answered));
            ex.close();
        }
    }

    private static void write(HttpExchange ex, int status, String json, String retryAfter) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", retryAfter);
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String created(String account, String sid, String to, String from, String body) {
        String escaped = body.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "{\"account_sid\": \"" + account + "\", \"api_version\": \"2010-04-01\", \"body\": \"" + escaped + "\","
                + " \"date_created\": \"Fri, 27 Nov 2026 17:00:00 +0000\", \"date_sent\": null,"
                + " \"date_updated\": \"Fri, 27 Nov 2026 17:00:00 +0000\", \"direction\": \"outbound-api\","
                + " \"error_code\": null, \"error_message\": null, \"from\": \"" + from + "\", \"num_media\": \"0\","
                + " \"num_segments\": \"1\", \"price\": null, \"price_unit\": \"USD\", \"messaging_service_sid\": null,"
                + " \"sid\": \"" + sid + "\", \"status\": \"queued\", \"subresource_uris\": {\"media\": \"/2010-04-01/Accounts/"
                + account + "/Messages/" + sid + "/Media.json\"}, \"to\": \"" + to + "\", \"uri\": \"/2010-04-01/Accounts/"
                + account + "/Messages/" + sid + ".json\"}";
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
