package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example app's Jetty (64 threads) with 80 clients that send a webhook body a byte a second over real sockets:
 * health and signed webhooks are still answered at once, and each slow client gets a 408 at the 5 s body deadline.
 */
class ExampleAppSlowBodyTest {
    private static final int TRICKLERS = 80;
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final Duration SLACK = Duration.ofMillis(2500);

    @TempDir
    Path dir;

    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    /** Headers, then a byte a second until the app answers or closes; how long that took and the status line. */
    private Object[] trickle(int port, CountDownLatch started) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        sockets.add(socket);
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(("POST " + FrontDeskConfig.INBOUND_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long start = System.nanoTime();
        started.countDown();
        for (int sent = 0; sent < 600; sent++) {
            try {
                out.write('B');
                out.flush();
                int first = in.read();
                Duration after = Duration.ofNanos(System.nanoTime() - start);
                if (first < 0) {
                    return new Object[] {after, ""};
                }
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                answer.write(first);
                try {
                    in.transferTo(answer);
                } catch (IOException ignored) {
                    // the status line is enough
                }
                return new Object[] {after, answer.toString(StandardCharsets.UTF_8)};
            } catch (SocketTimeoutException stillWaiting) {
                // send the next byte
            } catch (IOException closed) {
                return new Object[] {Duration.ofNanos(System.nanoTime() - start), ""};
            }
        }
        throw new AssertionError("the app took a 600-byte body sent at a byte a second");
    }

    private static Map<String, String> inbound(String body) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", ConsoleSmsGateway.newSid());
        p.put("AccountSid", "AC" + "0".repeat(32));
        p.put("From", "+15551234567");
        p.put("To", "+15550001234");
        p.put("Body", body);
        p.put("NumMedia", "0");
        return p;
    }

    @Test
    void slowBodiesDoNotStopTheAppAndGet408AtTheDeadline() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
        ExecutorService threads = Executors.newFixedThreadPool(TRICKLERS);
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            String token = LocalSecrets.find(dir.resolve("data")).orElseThrow().signingToken();
            // Warm up first (class loading, the first pooled connection): the trickle is what is measured.
            assertThat(TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH, inbound("Hello"), token).statusCode()).isEqualTo(200);
            assertThat(TestHttp.get(app, "/api/health", null).statusCode()).isEqualTo(200);
            CountDownLatch started = new CountDownLatch(TRICKLERS);
            List<Future<Object[]>> endings = new ArrayList<>();
            for (int i = 0; i < TRICKLERS; i++) {
                endings.add(threads.submit(() -> trickle(app.port(), started)));
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            long begin = System.nanoTime();

            int sent = 0;
            while (Duration.ofNanos(System.nanoTime() - begin).compareTo(DEADLINE.minusSeconds(1)) < 0) {
                long t0 = System.nanoTime();
                HttpResponse<String> health = TestHttp.get(app, "/api/health", null);
                Duration healthTime = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(healthTime).as("health while 80 clients trickle").isLessThan(Duration.ofSeconds(1));

                long t1 = System.nanoTime();
                HttpResponse<String> ack = TestHttp.postSigned(app, FrontDeskConfig.INBOUND_PATH, inbound("Still there? " + sent++), token);
                Duration ackTime = Duration.ofNanos(System.nanoTime() - t1);
                assertThat(ack.statusCode()).isEqualTo(200);
                assertThat(ackTime).as("a signed webhook while 80 clients trickle").isLessThan(Duration.ofSeconds(2));
            }
            assertThat(sent).isPositive();

            for (Future<Object[]> f : endings) {
                Object[] e = f.get(60, TimeUnit.SECONDS);
                assertThat((Duration) e[0]).as("a slow body ends by the deadline").isLessThan(DEADLINE.plus(SLACK));
                assertThat((String) e[1]).startsWith("HTTP/1.1 408").contains("request_timeout");
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            threads.shutdownNow();
        }
    }
}
