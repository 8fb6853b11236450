package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.API_KEY;
import static dev.frontdesk.sms.servlet.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.http.FrontDeskHttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wrong staff keys are throttled per client address, over HTTP, on the server's injected clock (no sleeps). */
class StaffKeyThrottleTest {

    private static HttpResponse<String> leads(TestServer server, String key, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.local("/api/leads")).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return server.send(b.build());
    }

    @Test
    void wrongKeysAreThrottledPerAddressAndTheRightKeyWorksAgainAfterTheWait() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (TestServer server = new TestServer()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                for (int i = 0; i < 300; i++) {
                    answers.add(leads(server, "guess-" + i, null));
                }
            } finally {
                System.setErr(original);
            }
            for (HttpResponse<String> r : answers.subList(0, FrontDeskHttpHandler.KEY_FAILURE_BURST)) {
                assertError(r, 401, "unauthorized");
            }
            for (HttpResponse<String> r : answers.subList(FrontDeskHttpHandler.KEY_FAILURE_BURST, answers.size())) {
                assertError(r, 429, "rate_limited");
                assertThat(r.headers().firstValue("Retry-After")).hasValue("6");
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            assertThat(log.lines().filter(l -> l.contains("Staff request to")).count()).as(log).isEqualTo(1);
            assertThat(log.lines().filter(l -> l.contains("throttled")).count()).as(log).isEqualTo(1);

            // While throttled even the right key is refused: otherwise a guesser would learn when a guess was right.
            HttpResponse<String> early = leads(server, API_KEY, null);
            assertError(early, 429, "rate_limited");
            server.clock.advance(Duration.ofSeconds(Long.parseLong(early.headers().firstValue("Retry-After").orElseThrow()) - 1));
            assertError(leads(server, API_KEY, null), 429, "rate_limited");

            server.clock.advance(Duration.ofSeconds(1));
            assertThat(leads(server, API_KEY, null).statusCode()).as("the right key after the wait").isEqualTo(200);
            // A success forgets the failures: a mistyped key afterwards is a plain 401 again.
            assertError(leads(server, "typo", null), 401, "unauthorized");

            // Later on, a minute without failures lets the whole burst through again.
            for (int i = 0; i < FrontDeskHttpHandler.KEY_FAILURE_BURST - 1; i++) {
                assertError(leads(server, "again-" + i, null), 401, "unauthorized");
            }
            assertError(leads(server, "one-too-many", null), 429, "rate_limited");
            server.clock.advance(Duration.ofMinutes(1));
            for (int i = 0; i < FrontDeskHttpHandler.KEY_FAILURE_BURST; i++) {
                assertError(leads(server, "later-" + i, null), 401, "unauthorized");
            }
        }
    }

    @Test
    void behindATrustedProxyEachClientAddressHasItsOwnAllowance() throws Exception {
        try (TestServer server = new TestServer(c -> c, s -> s.trustForwardedHeaders(true), "/*")) {
            for (int i = 0; i < FrontDeskHttpHandler.KEY_FAILURE_BURST; i++) {
                assertError(leads(server, "guess-" + i, "203.0.113.7"), 401, "unauthorized");
            }
            assertError(leads(server, "guess", "203.0.113.7"), 429, "rate_limited");
            // The proxy appends the address it saw; an entry the client wrote in front does not make it someone else.
            assertError(leads(server, "guess", "198.51.100.99, 203.0.113.7"), 429, "rate_limited");

            assertThat(leads(server, API_KEY, "198.51.100.20").statusCode()).isEqualTo(200);
            assertError(leads(server, "typo", "198.51.100.20"), 401, "unauthorized");
        }
    }

    @Test
    void withoutATrustedProxyForwardedForCannotBuyMoreGuesses() throws Exception {
        try (TestServer server = new TestServer()) {
            for (int i = 0; i < FrontDeskHttpHandler.KEY_FAILURE_BURST; i++) {
                assertError(leads(server, "guess-" + i, "192.0.2." + i), 401, "unauthorized");
            }
            assertError(leads(server, "guess", "192.0.2.200"), 429, "rate_limited");
        }
    }
}
