package dev.frontdesk.sms;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures everything written to {@code System.err} (where the slf4j-simple test binding logs; it looks the
 * stream up on every write) while still passing it through. Use in try-with-resources; not for parallel tests.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (capture.captured) {
                    capture.captured.write(b);
                }
                capture.original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (capture.captured) {
                    capture.captured.write(b, off, len);
                }
                capture.original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        return capture;
    }

    /** Everything captured so far. */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** How many captured lines contain {@code fragment}. */
    public long linesContaining(String fragment) {
        return text().lines().filter(l -> l.contains(fragment)).count();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
