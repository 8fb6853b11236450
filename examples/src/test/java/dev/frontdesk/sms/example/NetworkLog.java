package dev.frontdesk.sms.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Every request the browser made, read from Chromium's performance log (the DevTools {@code Network} events):
 * what was asked for, when (the browser's wall clock), and how many bytes came back over the wire (headers and
 * body, as received). Not thread-safe; one per test browser.
 */
final class NetworkLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the browser sent it. */
    record Request(String id, String method, String url, long wallMillis) {
        String path() {
            return URI.create(url).getRawPath();
        }

        String query() {
            String q = URI.create(url).getRawQuery();
            return q == null ? "" : q;
        }

        boolean isApi() {
            return path().startsWith("/api/");
        }

        @Override
        public String toString() {
            return method + " " + path() + (query().isEmpty() ? "" : "?" + query());
        }
    }

    private final WebDriver driver;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Long> bytes = new HashMap<>();

    NetworkLog(WebDriver driver) {
        this.driver = driver;
    }

    /** A position in the log: {@link #since} gives what came after it. */
    int mark() {
        drain();
        return requests.size();
    }

    /** The API requests made after {@code mark} (page, script and style loads left out). */
    List<Request> apiSince(int mark) {
        drain();
        return requests.subList(mark, requests.size()).stream().filter(Request::isApi).toList();
    }

    /** Bytes received for a finished request (headers and body), or -1 while it is still open. */
    long bytes(Request request) {
        drain();
        return bytes.getOrDefault(request.id(), -1L);
    }

    private void drain() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message;
            try {
                message = JSON.readTree(entry.getMessage()).path("message");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            JsonNode params = message.path("params");
            switch (message.path("method").asText()) {
                case "Network.requestWillBeSent" -> {
                    String url = params.path("request").path("url").asText();
                    if (url.startsWith("http")) {
                        requests.add(new Request(params.path("requestId").asText(), params.path("request").path("method").asText(),
                                url, Math.round(params.path("wallTime").asDouble() * 1000)));
                    }
                }
                case "Network.loadingFinished" -> bytes.put(params.path("requestId").asText(), params.path("encodedDataLength").asLong());
                default -> {
                    // other DevTools events
                }
            }
        }
    }
}
