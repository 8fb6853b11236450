package dev.frontdesk.sms.http;

/**
 * The body of a response that stays open and is written over time ({@code text/event-stream}), as an
 * {@link HttpResponse#stream()} carries it. The adapter sends the status and headers, then calls {@link #open}
 * once with its {@link EventSink}; when the response ends for any reason (the client went away, a write failed,
 * the sink was closed, or the adapter could not start it and never called {@code open}) it calls
 * {@link #closed()}, exactly once. Thread-safe.
 */
public interface EventStream {

    /** The headers are out; write through {@code sink} from now on, from any thread. */
    void open(EventSink sink);

    /** The response ended: free what the stream holds. Called exactly once, also when {@link #open} never was. */
    void closed();
}
