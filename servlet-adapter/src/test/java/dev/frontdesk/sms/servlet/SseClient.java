package dev.frontdesk.sms.servlet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client over a plain socket, as a browser's stream is: one request, then lines as they
 * arrive (chunked transfer decoded). {@link #close()} drops the connection the way a closed tab does.
 */
final class SseClient implements AutoCloseable {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    /** The body of a refusal (not a stream), read whole. */
    final String errorBody;
    private final Socket socket;
    private final InputStream in;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private SseClient(int port, String pathAndQuery, String authorization) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = new BufferedInputStream(socket.getInputStream());
        String statusLine = readLine(in);
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        if (status != 200) {
            errorBody = new String(chunked ? readChunk(in) : in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))),
                    StandardCharsets.UTF_8);
            return;
        }
        errorBody = null;
        Thread reader = new Thread(() -> pump(chunked), "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code GET pathAndQuery} with {@code Authorization: Bearer key} (none when key is null). */
    static SseClient open(int port, String pathAndQuery, String key) {
        try {
            return new SseClient(port, pathAndQuery, key == null ? null : "Bearer " + key);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void pump(boolean chunked) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                byte[] data = chunked ? readChunk(in) : in.readNBytes(1);
                if (data.length == 0) {
                    break;
                }
                for (byte b : data) {
                    if (b == '\n') {
                        lines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else if (b != '\r') {
                        line.write(b);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed
        }
        lines.add("<closed>");
    }

    private static byte[] readChunk(InputStream in) throws IOException {
        String size = readLine(in);
        if (size.isEmpty()) {
            size = readLine(in); // the end of the previous chunk: Jetty sends it with the next one
        }
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        return in.readNBytes(n);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Waits for the next line matching {@code wanted}, passing over others; fails after {@code timeout}. */
    String await(Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no such line within " + timeout + "; seen " + seen);
                }
                seen.add(line);
                if (wanted.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next event after those already read: its {@code event:} and {@code data:} lines, e.g. {@code message {"leadId": 1, ...}}. */
    String nextEvent(Duration timeout) {
        String event = await(l -> l.startsWith("event: "), timeout).substring(7);
        String data = await(l -> l.startsWith("data: "), timeout).substring(6);
        return event + " " + data;
    }

    /** Every line read so far. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // gone
        }
    }
}
