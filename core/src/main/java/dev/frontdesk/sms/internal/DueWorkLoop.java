package dev.frontdesk.sms.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * A thread of its own that works through a store's leased rows as they come due (the owner alerts, the event outbox):
 * it runs a pass (claim up to a batch, send, settle), runs the next at once when the pass took a whole batch, and
 * otherwise sleeps until the store's next due row, at most {@code poll}, or until {@link #wake()}. A pass that throws
 * (the store is down) is reported and tried again after {@code poll}. What a pass does, and how a row is leased and
 * settled, is the caller's. Thread-safe.
 */
public final class DueWorkLoop {

    private final String threadName;
    private final int batch;
    private final Duration poll;
    private final Clock clock;
    private final IntSupplier pass;
    private final Function<Instant, Optional<Instant>> nextDueAt;
    private final Consumer<RuntimeException> paused;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param threadName the thread's name
     * @param batch      rows a pass claims at most: a pass that attempted this many is followed by another at once
     * @param poll       the longest sleep between passes (rows that no wake-up announces: other instances', retries)
     * @param pass       one pass on the loop's thread; how many rows it attempted
     * @param nextDueAt  when the next row is due, given the time now, or empty
     * @param paused     told of a pass (or of {@code nextDueAt}) that threw; the loop sleeps {@code poll} after it
     */
    public DueWorkLoop(String threadName, int batch, Duration poll, Clock clock, IntSupplier pass,
            Function<Instant, Optional<Instant>> nextDueAt, Consumer<RuntimeException> paused) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.batch = batch;
        this.poll = Objects.requireNonNull(poll, "poll");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pass = Objects.requireNonNull(pass, "pass");
        this.nextDueAt = Objects.requireNonNull(nextDueAt, "nextDueAt");
        this.paused = Objects.requireNonNull(paused, "paused");
    }

    /** Starts the thread (a daemon); true when this call started it, false when it was running already. */
    public synchronized boolean start() {
        if (thread != null) {
            return false;
        }
        running = true;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    /** Makes an idle loop run a pass now; quick, never throws. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Stops the loop: no pass starts after this. With {@code interrupt} the thread is interrupted (a blocking call in
     * a pass ends); {@code cancelInFlight} runs next (e.g. cancelling a client's calls); then waits for the thread up
     * to {@code joinFor}. A row a pass held stays leased and is taken again after its lease if it was not settled.
     */
    public void stop(boolean interrupt, Runnable cancelInFlight, Duration joinFor) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        wake();
        if (t == null) {
            return;
        }
        if (interrupt) {
            t.interrupt();
        }
        cancelInFlight.run();
        try {
            t.join(Math.max(1, joinFor.toMillis()));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            Duration wait;
            try {
                if (pass.getAsInt() >= batch) {
                    continue; // there may be more
                }
                Instant now = clock.instant();
                wait = nextDueAt.apply(now).map(at -> Duration.between(now, at)).filter(d -> d.compareTo(poll) < 0).orElse(poll);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                paused.accept(e);
                wait = poll;
            }
            if (!sleep(wait)) {
                return;
            }
        }
    }

    /** Sleeps up to {@code wait} or until woken or stopped; false when interrupted. */
    private boolean sleep(Duration wait) {
        synchronized (signal) {
            long until = System.nanoTime() + Math.max(1, wait.toNanos());
            while (running && !woken) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException ie) {
                    return false;
                }
            }
            woken = false;
            return true;
        }
    }
}
