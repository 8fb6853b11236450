package dev.frontdesk.sms.bench;

import dev.frontdesk.sms.twilio.TwilioSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An HTTP/1.1 load generator over plain keep-alive sockets, meant to run in a JVM of its own. Requests are
 * Twilio inbound webhooks, signed before the clock starts, each with a fresh MessageSid (a run tag and a
 * counter), from a pool of returning customers plus some new ones.
 *
 * <ul>
 *   <li>{@link #closed}: N connections, each sends its next request as soon as the previous answer arrived
 *       (what wrk does); gives the saturating throughput.</li>
 *   <li>{@link #open}: a fixed arrival rate (what wrk2's {@code -R} does): request i is due at
 *       {@code start + i / rate}, and its latency counts from when it was due, not from when a connection
 *       was free to send it, so a stalled server cannot hide its queueing delay (no coordinated omission).</li>
 * </ul>
 */
final class LoadGen {

    /** Pre-signed requests; {@link #next} hands each out once. */
    static final class Requests {
        final byte[][] bytes;
        final String[] sids;
        final AtomicLong cursor = new AtomicLong();

        Requests(byte[][] bytes, String[] sids) {
            this.bytes = bytes;
            this.sids = sids;
        }

        int next() {
            long i = cursor.getAndIncrement();
            return i < bytes.length ? (int) i : -1;
        }
    }

    private static final AtomicLong NEW_NUMBERS = new AtomicLong(ThreadLocalRandom.current().nextInt(5_000_000));
    private static final AtomicLong RUN = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L);

    /**
     * Signs {@code count} inbound webhooks for {@code path} on {@code port}. {@link #NEW_SHARE} of them (one in
     * four unless set) come from a number never seen before; the rest from 500 returning customers.
     */
    static Requests sign(int port, String path, String token, int count) {
        return sign(port, path, token, count, NEW_SHARE);
    }

    /** Share of texts from numbers never seen before ({@code -Dbench.newShare}, default one in four). */
    static final double NEW_SHARE = Double.parseDouble(System.getProperty("bench.newShare", "0.25"));

    /** As {@link #sign(int, String, String, int)}, with {@code newShare} of the texts from numbers never seen before. */
    static Requests sign(int port, String path, String token, int count, double newShare) {
        long run = RUN.incrementAndGet();
        byte[][] out = new byte[count][];
        String[] sids = new String[count];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            // Twilio's shape (SM and 32 hex digits), as the webhook requires: the run, then the request number.
            String sid = String.format("SM%016x%016x", run, i);
            String from = r.nextDouble() < newShare
                    ? "+1556" + String.format("%07d", NEW_NUMBERS.incrementAndGet() % 10_000_000)
                    : "+1555123" + String.format("%04d", r.nextInt(500));
            out[i] = request(port, path, token, sid, from, "Hi, my kitchen sink is leaking under the cabinet. Can someone come today?");
            sids[i] = sid;
        }
        return new Requests(out, sids);
    }

    /** One inbound-SMS webhook to {@code path} on {@code port}, form-encoded and signed for that URL as Twilio would. */
    static byte[] request(int port, String path, String token, String sid, String from, String text) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ToCountry", "US");
        p.put("SmsMessageSid", sid);
        p.put("NumMedia", "0");
        p.put("SmsSid", sid);
        p.put("SmsStatus", "received");
        p.put("Body", text);
        p.put("To", "+15559876543");
        p.put("NumSegments", "1");
        p.put("MessageSid", sid);
        p.put("AccountSid", "ACbench0000000000000000000000000");
        p.put("From", from);
        p.put("ApiVersion", "2010-04-01");
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> e : p.entrySet()) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        String url = "http://localhost:" + port + path; // the URL the server checks the signature against
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost:" + port
                + "\r\nUser-Agent: TwilioProxy/1.1\r\nContent-Type: application/x-www-form-urlencoded"
                + "\r\nX-Twilio-Signature: " + TwilioSignatures.sign(token, url, p)
                + "\r\nContent-Length: " + b.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(h, h.length + b.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    /** What one load run saw. Latencies in nanoseconds; {@code ackMicros[i]} is when request i was answered. */
    record Result(int sent, int errors, double seconds, long[] latencies, long[] ackMicros, String[] sids) {
        double rps() {
            return (sent - errors) / seconds;
        }

        double pctMs(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(latencies.length - 1, i))] / 1e6;
        }
    }

    /** Several runs as one: counts and time added up, latencies pooled (acknowledgement times are not kept). */
    static Result merge(List<Result> parts) {
        int sent = 0;
        int errors = 0;
        double seconds = 0;
        int n = 0;
        for (Result r : parts) {
            sent += r.sent();
            errors += r.errors();
            seconds += r.seconds();
            n += r.latencies().length;
        }
        long[] lat = new long[n];
        int k = 0;
        for (Result r : parts) {
            System.arraycopy(r.latencies(), 0, lat, k, r.latencies().length);
            k += r.latencies().length;
        }
        Arrays.sort(lat);
        return new Result(sent, errors, seconds, lat, new long[0], new String[0]);
    }

    /** Closed loop: {@code connections} keep-alive connections, each always busy, for {@code seconds}. */
    static Result closed(int port, Requests reqs, int connections, double seconds) throws InterruptedException {
        Run run = new Run(reqs, connections);
        long[] window = new long[2];
        run.open(port, "load-", conn -> {
            long end = window[1];
            while (System.nanoTime() < end) {
                int i = reqs.next();
                if (i < 0) {
                    break;
                }
                run.exchange(conn, i, System.nanoTime());
            }
        });
        window[0] = System.nanoTime();
        window[1] = window[0] + (long) (seconds * 1e9);
        run.goAndJoin();
        return run.result((System.nanoTime() - window[0]) / 1e9);
    }

    /**
     * Open loop: {@code count} requests at {@code rate} per second through up to {@code connections}
     * connections; latency counts from each request's due time.
     */
    static Result open(int port, Requests reqs, double rate, int count, int connections) throws InterruptedException {
        if (count > reqs.bytes.length) {
            throw new IllegalArgumentException("sign at least " + count + " requests");
        }
        Run run = new Run(reqs, connections);
        AtomicLong nextIndex = new AtomicLong();
        long[] start = new long[1];
        long interval = (long) (1e9 / rate);
        run.open(port, "open-", conn -> {
            while (true) {
                long i = nextIndex.getAndIncrement();
                if (i >= count) {
                    break;
                }
                long due = start[0] + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                // slot i sends pre-signed request i
                run.exchange(conn, (int) i, due);
            }
        });
        start[0] = System.nanoTime() + 1_000_000;
        run.goAndJoin();
        return run.result((System.nanoTime() - start[0]) / 1e9);
    }

    /** One connection's share of a run; the connection is open when it starts. */
    private interface Loop {
        void send(Conn conn) throws IOException;
    }

    /**
     * What both loops share: a thread per keep-alive connection, all connected before any sends, and what
     * each request saw (latency, answer time, errors).
     */
    private static final class Run {
        final Requests reqs;
        final long[] lat;
        final long[] ack;
        final AtomicLong errors = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final CountDownLatch ready;
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        final int connections;

        Run(Requests reqs, int connections) {
            this.reqs = reqs;
            this.lat = new long[reqs.bytes.length];
            this.ack = new long[reqs.bytes.length];
            this.connections = connections;
            this.ready = new CountDownLatch(connections);
        }

        /** Starts the connections' threads and returns when every one is connected (or has failed to). */
        void open(int port, String name, Loop loop) throws InterruptedException {
            for (int c = 0; c < connections; c++) {
                Thread t = new Thread(() -> {
                    Conn conn = null;
                    try {
                        conn = new Conn(port);
                        ready.countDown();
                        go.await();
                        loop.send(conn);
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        noteError(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        ready.countDown();
                        if (conn != null) {
                            conn.close();
                        }
                    }
                }, name + c);
                t.start();
                threads.add(t);
            }
            ready.await();
        }

        void goAndJoin() throws InterruptedException {
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
        }

        /** Sends pre-signed request {@code i}; its latency counts from {@code fromNanos}. */
        void exchange(Conn conn, int i, long fromNanos) throws IOException {
            int status = conn.exchange(reqs.bytes[i]);
            lat[i] = System.nanoTime() - fromNanos;
            ack[i] = BenchServer.Events.micros(Instant.now());
            done.incrementAndGet();
            if (status != 200) {
                errors.incrementAndGet();
                noteError(new IOException("HTTP " + status));
            }
        }

        Result result(double elapsed) {
            return LoadGen.result(reqs, lat, ack, (int) done.get(), (int) errors.get(), elapsed);
        }
    }

    private static Result result(Requests reqs, long[] lat, long[] ack, int done, int errors, double elapsed) {
        // requests 0..done-1 were handed out (the cursor may have overshot by one per connection)
        int n = (int) Math.min(done, reqs.bytes.length);
        long[] used = new long[n];
        long[] acks = new long[n];
        String[] sids = new String[n];
        int k = 0;
        for (int i = 0; i < reqs.bytes.length && k < n; i++) {
            if (lat[i] > 0) {
                used[k] = lat[i];
                acks[k] = ack[i];
                sids[k] = reqs.sids[i];
                k++;
            }
        }
        long[] sorted = Arrays.copyOf(used, k);
        Arrays.sort(sorted);
        return new Result(k, errors, elapsed, sorted, Arrays.copyOf(acks, k), Arrays.copyOf(sids, k));
    }

    /** One keep-alive HTTP/1.1 connection that sends pre-built bytes and reads a Content-Length response. */
    static final class Conn {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];

        Conn(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        /** Sends one request and reads its answer; returns the status code. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            int len = 0;
            int headerEnd = -1;
            while (headerEnd < 0) {
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    throw new IOException("connection closed");
                }
                len += n;
                headerEnd = indexOfCrlfCrlf(buf, len);
            }
            String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            int contentLength = 0;
            boolean chunked = false;
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String name = line.substring(0, colon).trim();
                    if (name.equalsIgnoreCase("Content-Length")) {
                        contentLength = Integer.parseInt(line.substring(colon + 1).trim());
                    } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        chunked = true;
                    }
                }
            }
            int have = len - (headerEnd + 4);
            if (chunked) {
                // read until the terminating zero chunk
                byte[] rest = Arrays.copyOfRange(buf, headerEnd + 4, len);
                StringBuilder sb = new StringBuilder(new String(rest, StandardCharsets.ISO_8859_1));
                while (!sb.toString().endsWith("0\r\n\r\n")) {
                    int n = in.read(buf);
                    if (n < 0) {
                        throw new IOException("connection closed");
                    }
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
                return status;
            }
            int missing = contentLength - have;
            while (missing > 0) {
                int n = in.read(buf, 0, Math.min(buf.length, missing));
                if (n < 0) {
                    throw new IOException("connection closed");
                }
                missing -= n;
            }
            return status;
        }

        private static int indexOfCrlfCrlf(byte[] b, int len) {
            for (int i = 3; i < len; i++) {
                if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                    return i - 3;
                }
            }
            return -1;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> ERRORS = new java.util.concurrent.ConcurrentHashMap<>();

    private static void noteError(Exception e) {
        ERRORS.computeIfAbsent(e.toString(), k -> new AtomicLong()).incrementAndGet();
    }

    private LoadGen() {
    }
}
