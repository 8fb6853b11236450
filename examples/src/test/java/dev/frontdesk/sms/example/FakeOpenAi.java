package dev.frontdesk.sms.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions}, faked: answers as {@link #behaviour} says (a
 * reply after a delay, an HTTP error with an optional {@code Retry-After}, or a hang), counting calls
 * and calls in flight.
 */
final class FakeOpenAi implements AutoCloseable {
    static final String REPLY = "Thanks for reaching out! What is your address, and when could we stop by?";

    interface Behaviour {
        Answer answer(String requestBody);
    }

    record Answer(int status, long delayMillis, String retryAfter) {
        static Answer ok(long delayMillis) {
            return new Answer(200, delayMillis, null);
        }
    }

    volatile Behaviour behaviour = body -> Answer.ok(0);
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    FakeOpenAi() {
        server = TestHttp.loopbackServer(this::handle, threads);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange ex) throws IOException {
        calls.incrementAndGet();
        inFlight.incrementAndGet();
        try {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Answer a = behaviour.answer(body);
            if (a.delayMillis() > 0) {
                Thread.sleep(a.delayMillis());
            }
            String json = a.status() == 200
                    ? "{\"id\": \"chatcmpl-fake\", \"object\": \"chat.completion\", \"created\": 1764262800, \"model\": \"gpt-4o-mini\","
                    + " \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"" + REPLY + "\", \"refusal\": null},"
                    + " \"logprobs\": null, \"finish_reason\": \"stop\"}], \"usage\": {\"prompt_tokens\": 100, \"completion_tokens\": 20, \"total_tokens\": 120}}"
                    : "{\"error\": {\"message\": \"fake outage\", \"type\": \"server_error\", \"param\": null, \"code\": null}}";
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            if (a.retryAfter() != null) {
                ex.getResponseHeaders().set("Retry-After", a.retryAfter());
            }
            ex.sendResponseHeaders(a.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the caller gave up (deadline) or died
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
