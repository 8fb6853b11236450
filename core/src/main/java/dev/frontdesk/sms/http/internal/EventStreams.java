package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.ChangeListener;
import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.StoreChange;
import dev.frontdesk.sms.http.EventSink;
import dev.frontdesk.sms.http.EventStream;
import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events/stream}: the live Server-Sent Events of the dashboard. Each open stream gets one
 * {@code event: lead} or {@code event: message} per {@link StoreChange}, with {@code data: {"leadId": 123,
 * "messageId": 456 or null}}, and a comment line every heartbeat so proxies and the container's idle timeout keep
 * the connection. At most {@code maxStreams} are open at once (more: 503 {@code unavailable} with
 * {@code Retry-After}).
 *
 * <p>One thread and one subscription to the front desk's changes serve all streams, and exist only while a
 * stream is open: a change is formatted once and handed to each stream's sink, which writes without blocking. A
 * stream holds nothing but its sink. Thread-safe.
 */
public final class EventStreams {
    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
    /** How long a browser waits before it reconnects a dropped stream (the {@code retry:} field). */
    static final int RETRY_MILLIS = 3000;
    private static final int RETRY_AFTER_SECONDS = 30;
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Type", "text/event-stream; charset=utf-8",
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff",
            "X-Accel-Buffering", "no"); // nginx: pass events on as they come

    private final FrontDesk frontDesk;
    private final StaffGate gate;
    private final int maxStreams;
    private final long heartbeatMillis;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    /** Streams answered and not yet closed (opened or about to be); guarded by {@link #lock}. */
    private int reserved;
    private ScheduledThreadPoolExecutor thread;
    private AutoCloseable subscription;
    private volatile boolean frontDeskClosed;

    public EventStreams(FrontDesk frontDesk, StaffGate gate, int maxStreams, Duration heartbeat) {
        this.frontDesk = frontDesk;
        this.gate = gate;
        this.maxStreams = maxStreams;
        this.heartbeatMillis = heartbeat.toMillis();
    }

    /** Streams open now. */
    public int openCount() {
        return open.size();
    }

    /** {@code GET /api/events/stream}. */
    public HttpResponse stream(HttpRequest request, List<String> pathParams) {
        gate.authorize(request);
        synchronized (lock) {
            if (frontDeskClosed) {
                throw new ApiError(ErrorCode.UNAVAILABLE, "The server is stopping; connect again in a moment.",
                        Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
            }
            if (reserved >= maxStreams) {
                throw new ApiError(ErrorCode.UNAVAILABLE, "This server already keeps " + maxStreams + " live event streams "
                        + "open, the most it allows (maxEventStreams); close dashboard tabs you do not use, or try again in "
                        + RETRY_AFTER_SECONDS + " s.", Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
            }
            if (reserved++ == 0) {
                startShared();
            }
        }
        return HttpResponse.streamed(HEADERS, new Stream());
    }

    private void startShared() {
        thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "frontdesk-events");
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        ScheduledThreadPoolExecutor t = thread;
        t.scheduleWithFixedDelay(() -> toAll(": keepalive\n\n"), heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
        subscription = frontDesk.onChange(new ChangeListener() {
            @Override
            public void onChange(StoreChange change) {
                String event = format(change);
                try {
                    t.execute(() -> toAll(event));
                } catch (RejectedExecutionException e) {
                    // the last stream just closed
                }
            }

            @Override
            public void onClosed() {
                frontDeskClosed = true;
                for (Stream s : open) {
                    s.end();
                }
            }
        });
    }

    private void release() {
        synchronized (lock) {
            if (--reserved > 0) {
                return;
            }
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("Closing the change subscription failed: {}", e.toString());
            }
            thread.shutdownNow();
            subscription = null;
            thread = null;
        }
    }

    private void toAll(String text) {
        for (Stream s : open) {
            s.send(text);
        }
    }

    /** One Server-Sent Event: the kind as the event name, the ids as JSON data. */
    static String format(StoreChange change) {
        return "event: " + change.kind().wireName() + "\ndata: {\"leadId\": " + change.leadId() + ", \"messageId\": "
                + (change.messageId() == null ? "null" : change.messageId().toString()) + "}\n\n";
    }

    private final class Stream implements EventStream {
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile EventSink sink;

        @Override
        public void open(EventSink sink) {
            this.sink = sink;
            open.add(this);
            // The reconnect delay, and a first line so the client sees the stream is up before any change.
            sink.send("retry: " + RETRY_MILLIS + "\n: connected\n\n");
            if (frontDeskClosed || closed.get()) {
                end();
            }
        }

        void send(String text) {
            EventSink s = sink;
            if (s != null) {
                s.send(text); // a sink that ended calls closed()
            }
        }

        void end() {
            EventSink s = sink;
            if (s != null) {
                s.close();
            }
        }

        @Override
        public void closed() {
            if (closed.compareAndSet(false, true)) {
                open.remove(this);
                release();
            }
        }
    }
}
