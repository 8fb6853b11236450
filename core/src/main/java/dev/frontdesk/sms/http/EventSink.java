package dev.frontdesk.sms.http;

/**
 * The open end of a streamed response, implemented by the container adapter: text handed to it goes to the
 * client as it comes, without holding a thread per stream. Thread-safe: any thread may call it.
 */
public interface EventSink {

    /**
     * Queues {@code text} (whole Server-Sent Events or comments, UTF-8 on the wire) to be written and flushed,
     * without waiting for the client. A client too far behind (more than the adapter buffers) has its response
     * ended rather than held in memory.
     *
     * @return false when the response has ended (the client went away, fell behind, or {@link #close} was called)
     */
    boolean send(String text);

    /** Ends the response; the stream is then told {@link EventStream#closed()}. Idempotent. */
    void close();
}
