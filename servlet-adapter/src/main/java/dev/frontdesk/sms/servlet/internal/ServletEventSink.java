package dev.frontdesk.sms.servlet.internal;

import dev.frontdesk.sms.http.EventSink;
import dev.frontdesk.sms.http.EventStream;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventStream} on a Servlet 6 async response with non-blocking writes: no thread waits on the client.
 * Text is queued and written whenever the container says the output is ready ({@link WriteListener}); a client
 * that lets more than {@value #MAX_PENDING_BYTES} bytes pile up, a failed write, the container's error or
 * timeout, and {@link #close()} each end the response once, and the stream is told {@link EventStream#closed()}.
 * Thread-safe.
 */
public final class ServletEventSink implements EventSink, WriteListener, AsyncListener {
    private static final Logger log = LoggerFactory.getLogger(ServletEventSink.class);
    /** Bytes a slow client may leave unwritten before its stream is ended (it reconnects and reloads). */
    static final int MAX_PENDING_BYTES = 64 * 1024;

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final EventStream stream;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private int pendingBytes;
    private boolean opened;
    private boolean unflushed;

    private ServletEventSink(AsyncContext async, ServletOutputStream out, EventStream stream) {
        this.async = async;
        this.out = out;
        this.stream = stream;
    }

    /**
     * Runs {@code stream} on the async response of {@code async}, whose status and headers are set: writes start
     * when the container first says the output is ready.
     */
    public static void start(AsyncContext async, EventStream stream) throws IOException {
        async.setTimeout(0); // open until the client, the stream or the server ends it; heartbeats keep it alive
        ServletEventSink sink = new ServletEventSink(async, async.getResponse().getOutputStream(), stream);
        async.addListener(sink);
        sink.out.setWriteListener(sink);
    }

    @Override
    public void onWritePossible() {
        boolean first;
        synchronized (this) {
            first = !opened;
            opened = true;
        }
        if (first) {
            stream.open(this); // its first send writes, and so commits the headers
        }
        drain();
    }

    @Override
    public boolean send(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (ended.get()) {
                return false;
            }
            if (pendingBytes + bytes.length > MAX_PENDING_BYTES) {
                log.debug("An event stream's client fell {} bytes behind; ending its stream", pendingBytes);
                end();
                return false;
            }
            pending.add(bytes);
            pendingBytes += bytes.length;
        }
        drain();
        return !ended.get();
    }

    /** Writes what is queued while the output takes it without blocking, then flushes. */
    private void drain() {
        synchronized (this) {
            if (!opened || ended.get()) {
                return;
            }
            try {
                while (out.isReady()) {
                    byte[] next = pending.poll();
                    if (next != null) {
                        pendingBytes -= next.length;
                        out.write(next);
                        unflushed = true;
                    } else if (unflushed) {
                        unflushed = false;
                        out.flush();
                    } else {
                        return;
                    }
                }
                // not ready: the container calls onWritePossible when it is
            } catch (IOException | IllegalStateException e) {
                end(); // the client went away
            }
        }
    }

    @Override
    public void close() {
        end();
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            pending.clear();
            pendingBytes = 0;
        }
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // already completed by the container
        }
        stream.closed();
    }

    @Override
    public void onError(Throwable t) {
        end();
    }

    @Override
    public void onError(AsyncEvent event) {
        end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end(); // also when the container completed it (server stopping)
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
