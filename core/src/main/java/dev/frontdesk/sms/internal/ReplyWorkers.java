package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply worker threads of one process. Each runs jobs through the {@link ReplyJobRunner} while there are
 * due ones, then waits until it is woken (a new job), the next job is due, or the poll interval passed (jobs that
 * no wake-up announced: another instance's, retries). A store that announces other processes' jobs
 * ({@link ReplyQueue#onJobReady}) wakes them too, and then the poll is only a slow safety net. A store outage
 * backs off from 200 ms to 10 s. Thread-safe.
 */
public final class ReplyWorkers {
    private static final Logger log = LoggerFactory.getLogger(ReplyWorkers.class);

    private final ReplyJobRunner runner;
    private final ReplyQueue queue;
    private final Clock clock;
    /** How often idle workers look for due jobs when the store cannot announce them. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /**
     * How often idle workers look when the store announces jobs from other processes: only a safety net for an
     * announcement lost while the store was reconnecting, so that an idle instance costs the database almost nothing.
     */
    public static final Duration ANNOUNCED_POLL_INTERVAL = Duration.ofSeconds(15);

    /** The poll interval the host set, or null for the default (which depends on the store). */
    private final Duration pollSetting;
    private volatile Duration pollInterval = DEFAULT_POLL_INTERVAL;
    /** The store's announcements of other processes' jobs while the workers run, or null. */
    private AutoCloseable announcements;
    private final Object signal = new Object();
    private final AtomicInteger wakeups = new AtomicInteger();
    private volatile boolean running;
    private ExecutorService threads;
    /** Wakes workers when a job enqueued here becomes due ({@link #wakeAt}); null while stopped. */
    private volatile ScheduledExecutorService timers;

    /**
     * @param pollInterval how often idle workers look for due jobs that no wake-up announced, or null for
     *                     {@link #DEFAULT_POLL_INTERVAL}, or {@link #ANNOUNCED_POLL_INTERVAL} when the store announces jobs
     */
    public ReplyWorkers(ReplyJobRunner runner, ReplyQueue queue, Clock clock, Duration pollInterval) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pollSetting = pollInterval;
    }

    /** Starts {@code count} threads named after {@code prefix}, which is also their lease name; false if already started. */
    public synchronized boolean start(int count, String prefix) {
        if (running) {
            return false;
        }
        running = true;
        Optional<AutoCloseable> announced = queue.onJobReady(this::wakeOne);
        announcements = announced.orElse(null);
        pollInterval = pollSetting != null ? pollSetting : announced.isPresent() ? ANNOUNCED_POLL_INTERVAL : DEFAULT_POLL_INTERVAL;
        if (announced.isPresent()) {
            log.info("Reply workers are woken by the store for jobs from other instances; idle ones look every {} s",
                    pollInterval.toSeconds());
        }
        timers = Executors.newSingleThreadScheduledExecutor(daemon(prefix + "-wake"));
        threads = Executors.newFixedThreadPool(count, daemon(prefix + "-worker"));
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            threads.execute(() -> workLoop(id));
        }
        return true;
    }

    /**
     * Wakes one idle worker; called after each inbound commit (one new job), so the reply starts without
     * waiting for a poll. Waking one rather than all matters under load: every woken worker runs a claim
     * transaction, and all but one would find nothing. A worker that finds a job looks for the next one
     * before it waits again, so a burst of jobs is never left behind.
     */
    public void wakeOne() {
        synchronized (signal) {
            wakeups.incrementAndGet();
            signal.notify();
        }
    }

    private void wakeAll() {
        synchronized (signal) {
            wakeups.incrementAndGet();
            signal.notifyAll();
        }
    }

    /**
     * Stops claiming: no worker takes a new job, and idle ones are woken to end. Returns the threads to wait for
     * with {@link #awaitStopped}, or null if none were started.
     */
    public synchronized ExecutorService stopClaiming() {
        running = false;
        ExecutorService stopping = threads;
        threads = null;
        if (timers != null) {
            timers.shutdownNow();
            timers = null;
        }
        if (announcements != null) {
            try {
                announcements.close();
            } catch (Exception e) {
                log.warn("Closing the store's job announcements failed", LogSafe.exception(e));
            }
            announcements = null;
        }
        wakeAll();
        if (stopping != null) {
            stopping.shutdown();
        }
        return stopping;
    }

    /** Waits up to {@code timeout} for the jobs in flight on {@code stopping} to finish, then interrupts what is left. */
    public static void awaitStopped(ExecutorService stopping, Duration timeout) {
        if (stopping == null) {
            return;
        }
        try {
            if (!stopping.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Reply workers still busy after {} s; their jobs will be retried when the lease ends", timeout.toSeconds());
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.shutdownNow();
        }
    }

    /**
     * Wakes one idle worker at {@code due} (now if it has passed): called after an inbound commit whose job is due
     * after the settle time, so that no worker claims (and costs the store a transaction) before it is due.
     */
    public void wakeAt(Instant due) {
        long millis = millisUntil(due);
        ScheduledExecutorService t = timers;
        if (millis == 0 || t == null) {
            wakeOne();
            return;
        }
        try {
            t.schedule(this::wakeOne, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: nothing more is claimed
        }
    }

    private void workLoop(String workerId) {
        Duration backoff = Duration.ZERO;
        while (running) {
            int seen = wakeups.get();
            try {
                ReplyJobRunner.Step step = runner.runNext(workerId);
                backoff = Duration.ZERO;
                if (step.ran()) {
                    continue;
                }
                waitForWork(seen, idleWait(step.nextDueAt()));
            } catch (StoreUnavailableException e) {
                backoff = backoff.isZero() ? Duration.ofMillis(200) : min(backoff.multipliedBy(2), Duration.ofSeconds(10));
                log.warn("Reply worker {}: store unavailable, retrying in {} ms", workerId, backoff.toMillis());
                waitForWork(Integer.MIN_VALUE, backoff);
            } catch (RuntimeException e) {
                log.error("Reply worker {} hit an unexpected error; continuing", workerId, LogSafe.exception(e));
                waitForWork(Integer.MIN_VALUE, pollInterval);
            }
        }
    }

    /** How long an idle worker waits: until the next job is due (the claim said when), at most the poll interval. */
    private Duration idleWait(Instant nextDueAt) {
        if (nextDueAt == null) {
            return pollInterval;
        }
        long millis = millisUntil(nextDueAt);
        return millis == 0 ? Duration.ofMillis(10) : min(Duration.ofMillis(millis), pollInterval);
    }

    /**
     * Milliseconds from now until {@code due}, 0 when it has passed: rounded up, and one more, since waits and timers
     * count whole milliseconds on the monotonic clock while due times are the wall clock's, and a worker that woke a
     * moment early would claim nothing, costing the store a transaction.
     */
    private long millisUntil(Instant due) {
        long nanos = Duration.between(clock.instant(), due).toNanos();
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000 + 1;
    }

    private void waitForWork(int seenWakeups, Duration max) {
        synchronized (signal) {
            if (!running || (seenWakeups != Integer.MIN_VALUE && wakeups.get() != seenWakeups)) {
                return;
            }
            try {
                signal.wait(Math.max(1, max.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
