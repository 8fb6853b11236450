package dev.frontdesk.sms.servlet;

import static dev.frontdesk.sms.servlet.TestServer.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioSignatures;
import jakarta.servlet.DispatcherType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send their body a byte a second, over real sockets into Jetty with 64 threads (as the example
 * app has): they must not keep others from being answered, and they end at the body deadline.
 */
class SlowBodyTest {
    private static final int TRICKLERS = 80;
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    /** Room for a loaded machine (two cores shared with other builds) between the deadline and the answer. */
    private static final Duration SLACK = Duration.ofMillis(2500);

    TestServer server = new TestServer(c -> c, s -> s.bodyTimeout(DEADLINE), "/*", new InMemoryLeadRepository(), 8 * 1024, 64);
    ExecutorService threads = Executors.newFixedThreadPool(TRICKLERS);
    List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        server.close();
    }

    /** How one slow request ended: after how long, and with which status line (null when the server just closed). */
    record Ending(Duration after, String statusLine, String response) {
    }

    /**
     * Sends the headers of a webhook announcing {@code length} bytes, then one byte a second until the server
     * answers or closes the connection.
     */
    private Ending trickle(String path, int length, CountDownLatch started) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        sockets.add(socket);
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "X-Twilio-Signature: bm90IHlldA==\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long start = System.nanoTime();
        started.countDown();
        for (int sent = 0; sent < length; sent++) {
            try {
                out.write('B');
                out.flush();
            } catch (IOException closed) {
                return new Ending(Duration.ofNanos(System.nanoTime() - start), null, "");
            }
            try {
                int first = in.read(); // waits up to a second: the pace of the trickle
                Duration after = Duration.ofNanos(System.nanoTime() - start);
                if (first < 0) {
                    return new Ending(after, null, "");
                }
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                answer.write(first);
                try {
                    in.transferTo(answer);
                } catch (IOException ignored) {
                    // what arrived is enough
                }
                String text = answer.toString(StandardCharsets.UTF_8);
                return new Ending(after, text.lines().findFirst().orElse(""), text);
            } catch (SocketTimeoutException stillWaiting) {
                // the server is still waiting for the body: send the next byte
            } catch (IOException reset) {
                return new Ending(Duration.ofNanos(System.nanoTime() - start), null, "");
            }
        }
        throw new AssertionError("the server took the whole slow body of " + length + " bytes without ending it");
    }

    private int inboundStored() {
        return server.memory.leads().findLeadByPhone(new PhoneNumber(CUSTOMER)).map(l -> server.memory.messages().history(l.id(), 100_000).size()).orElse(0);
    }

    private Duration timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private HttpResponse<String> health() {
        try {
            return server.http.send(HttpRequest.newBuilder(server.local("/api/health")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new AssertionError("/api/health did not answer within 5 s while slow clients were sending", e);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void slowBodiesDoNotHoldThreadsAndEndAtTheDeadline() throws Exception {
        CountDownLatch started = new CountDownLatch(TRICKLERS);
        List<Future<Ending>> endings = new ArrayList<>();
        for (int i = 0; i < TRICKLERS; i++) {
            String path = i % 2 == 0 ? FrontDeskConfig.INBOUND_PATH : FrontDeskConfig.STATUS_PATH;
            endings.add(threads.submit(() -> trickle(path, 600, started)));
        }
        assertThat(started.await(30, TimeUnit.SECONDS)).as("all slow clients connected").isTrue();
        long trickleStart = System.nanoTime();

        // While they trickle (the deadline has not passed): health within 1 s, a signed webhook acknowledged within 2 s.
        List<Duration> healthTimes = new ArrayList<>();
        List<Duration> webhookTimes = new ArrayList<>();
        while (Duration.ofNanos(System.nanoTime() - trickleStart).compareTo(DEADLINE.minusMillis(500)) < 0) {
            healthTimes.add(timed(() -> assertThat(health().statusCode()).isEqualTo(200)));
            webhookTimes.add(timed(() -> assertThat(server.text(CUSTOMER, "Is anyone there?").statusCode()).isEqualTo(200)));
            Thread.sleep(100); // a probe every ~0.1 s, as a monitor and Twilio would, not a flood
        }
        assertThat(healthTimes).as("health answers while 80 clients trickle").isNotEmpty()
                .allSatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(1)));
        assertThat(webhookTimes).as("signed webhooks acknowledged while 80 clients trickle")
                .allSatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(2)));

        for (Future<Ending> f : endings) {
            Ending e = f.get(DEADLINE.plus(SLACK).plusSeconds(30).toSeconds(), TimeUnit.SECONDS);
            assertThat(e.after()).as("a slow body ends by the deadline").isLessThan(DEADLINE.plus(SLACK));
            assertThat(e.after()).as("but not before it").isGreaterThanOrEqualTo(DEADLINE.minusMillis(100));
            assertThat(e.statusLine()).as("the slow client is told why").startsWith("HTTP/1.1 408");
            assertThat(e.response()).contains("\"code\":\"request_timeout\"").contains("Connection: close");
        }
        assertThat(inboundStored()).as("the signed webhooks were stored, nothing from the slow clients").isEqualTo(webhookTimes.size());
        assertThat(health().statusCode()).isEqualTo(200);
    }

    /** A signed inbound webhook as raw HTTP: the request line and headers, and the body. */
    private record RawWebhook(byte[] head, byte[] body) {
    }

    private RawWebhook signedInbound(String text) {
        Map<String, String> params = server.inboundParams(server.nextSid(), CUSTOMER, text);
        byte[] body = TestServer.form(params).getBytes(StandardCharsets.UTF_8);
        String signature = TwilioSignatures.sign(TestServer.TOKEN, TestServer.PUBLIC_BASE + FrontDeskConfig.INBOUND_PATH, params);
        byte[] head = ("POST " + FrontDeskConfig.INBOUND_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: " + signature + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return new RawWebhook(head, body);
    }

    @Test
    void aBodyThatArrivesInPiecesWithinTheDeadlineIsAccepted() throws Exception {
        RawWebhook webhook = signedInbound("Sent over a slow link");
        byte[] body = webhook.body();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(webhook.head());
            int third = body.length / 3;
            for (int[] piece : new int[][] {{0, third}, {third, 2 * third}, {2 * third, body.length}}) {
                out.write(body, piece[0], piece[1] - piece[0]);
                out.flush();
                Thread.sleep(300); // the pieces must arrive apart, as over a slow link
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("<Response/>");
        }
        assertThat(inboundStored()).isEqualTo(1);
        assertThat(server.dispatches).as("collected as it came, then handled in an async dispatch")
                .containsExactly(DispatcherType.REQUEST, DispatcherType.ASYNC);
    }

    @Test
    void aBodyThatArrivesWithItsHeadersIsReadAtOnceWithoutAnAsyncDispatch() throws Exception {
        RawWebhook webhook = signedInbound("Sent in one go");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(webhook.head());
            request.write(webhook.body());
            socket.getOutputStream().write(request.toByteArray()); // headers and body in one write, as Twilio's are
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("<Response/>");
        }
        assertThat(inboundStored()).isEqualTo(1);
        assertThat(server.dispatches).as("handled in the request's own dispatch").containsExactly(DispatcherType.REQUEST);
    }

    @Test
    void theBodyCapStillHoldsForAChunkedBodyWithoutLength() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + FrontDeskConfig.INBOUND_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("Body=" + "x".repeat(8 * 1024 - 5)).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 9; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    chunk = "x".repeat(8 * 1024).getBytes(StandardCharsets.US_ASCII);
                }
            } catch (IOException closedEarly) {
                // the server may refuse and close before the rest is written
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("payload_too_large");
        }
        assertThat(server.memory.leads().listLeads(10)).isEmpty();
    }
}
