package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply worker threads of one process. Each runs jobs through the {@link ReplyJobRunner} while there are
 * due ones, then waits until it is woken or the poll interval passed (jobs that no wake-up announced). A store that
 * announces other processes' jobs ({@link ReplyQueue#onJobReady}) wakes them too, when the job is due, and then the
 * poll is only a slow safety net. A store outage backs off from 200 ms to 10 s. Thread-safe.
 *
 * <p>Every claim is a store transaction, so wake-ups are counted: each {@link #wakeOne} (a job enqueued here and due
 * now, a timer of {@link #wakeAt} firing, another instance's announcement, a job given back) lets exactly one worker
 * claim once, a wake-up that finds every worker busy is kept for the next one that is done, a worker that ran a job
 * claims again only for such a kept wake-up, and a job that is due later is claimed when it is due by one worker:
 * its enqueuer's timer, or, when a claim learns of it ({@code nextDueAt}), one timer for that instant unless one is
 * already set for it or before it. Workers never wait until a due time on their own, which had two of them claim
 * the same job at the same instant.
 */
public final class ReplyWorkers {
    private static final Logger log = LoggerFactory.getLogger(ReplyWorkers.class);

    /** Jobs due within the same {@value #TIMER_GRAIN_MILLIS} ms share one wake-up timer, which fires at the end of that span. */
    static final long TIMER_GRAIN_MILLIS = 10;

    /** Claims and runs the next due job: {@link ReplyJobRunner#runNext}. */
    @FunctionalInterface
    public interface Runner {
        ReplyJobRunner.Step runNext(String workerId);
    }

    private final Runner runner;
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
    /** Wake-ups not yet taken by a worker (one per due job); guarded by {@link #signal}. */
    private int permits;
    /** Whether the next worker to take a wake-up claims until nothing is due; guarded by {@link #signal}. */
    private boolean drain;
    /**
     * When the {@link #wakeAt} timers that have not fired yet will fire, with how many wake-ups each brings (one per job
     * due in its span); guarded by {@link #signal}.
     */
    private final TreeMap<Instant, Integer> timersDue = new TreeMap<>();
    private volatile boolean running;
    private ExecutorService threads;
    /** Wakes workers when a job enqueued here becomes due ({@link #wakeAt}); null while stopped. */
    private volatile ScheduledExecutorService timers;
    /** Timers started since construction (a burst's jobs share one): for tests and diagnostics. */
    private final AtomicLong timersStarted = new AtomicLong();

    /**
     * @param pollInterval how often idle workers look for due jobs that no wake-up announced, or null for
     *                     {@link #DEFAULT_POLL_INTERVAL}, or {@link #ANNOUNCED_POLL_INTERVAL} when the store announces jobs
     */
    public ReplyWorkers(Runner runner, ReplyQueue queue, Clock clock, Duration pollInterval) {
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
        synchronized (signal) {
            permits = 0;
            timersDue.clear();
        }
        Optional<AutoCloseable> announced = queue.onJobReady(due -> {
            if (due == null) {
                wakeToDrain();
            } else {
                wakeAt(due);
            }
        });
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
     * Wakes one idle worker to claim once, for one job that is due now. Waking one rather than all matters under
     * load: every woken worker runs a claim transaction, and all but one would find nothing. A wake-up that finds
     * every worker busy is kept for the next one that is done, so a burst of jobs is never left behind.
     */
    public void wakeOne() {
        synchronized (signal) {
            if (permits < Integer.MAX_VALUE) {
                permits++;
            }
            signal.notify();
        }
    }

    /**
     * Wakes one worker to claim until nothing is due: the store does not say which jobs are waiting (it
     * reconnected, and may have missed announcements).
     */
    private void wakeToDrain() {
        synchronized (signal) {
            drain = true;
        }
        wakeOne();
    }

    private void wakeAll() {
        synchronized (signal) {
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
     * Wakes one idle worker at {@code due} (now if it has passed or is null): called for each job enqueued here, due
     * after the settle time, and for each job another instance announces, so that no worker claims (and costs the
     * store a transaction) before it is due, and each job is claimed by one worker.
     */
    public void wakeAt(Instant due) {
        long millis = due == null ? 0 : millisUntil(due);
        if (millis == 0) {
            wakeOne();
            return;
        }
        schedule(due);
    }

    /**
     * One more wake-up at the end of {@code due}'s span: a timer of its own only for the first job of the span, so the
     * texts of a burst, each due its settle time after it came, share timers (one per {@value #TIMER_GRAIN_MILLIS} ms)
     * instead of each costing the webhook a timer and the timer thread a wake-up.
     */
    private void schedule(Instant due) {
        Instant at = endOfSpan(due);
        boolean first;
        synchronized (signal) {
            first = timersDue.merge(at, 1, Integer::sum) == 1;
        }
        if (first) {
            startTimer(at, millisUntil(at));
        }
    }

    /** The first instant of the grid of {@value #TIMER_GRAIN_MILLIS} ms after {@code due}, so never before it. */
    static Instant endOfSpan(Instant due) {
        return Instant.ofEpochMilli(Math.multiplyExact(Math.floorDiv(due.toEpochMilli(), TIMER_GRAIN_MILLIS) + 1,
                TIMER_GRAIN_MILLIS));
    }

    /** Timers started so far; jobs due within one span share one. */
    public long timersStarted() {
        return timersStarted.get();
    }

    /**
     * A claim found nothing due but learnt that a job is due at {@code due}: sets a timer for it unless one is set for
     * the end of its span or before (the worker it wakes claims what is due then, and sets the next timer the same way).
     * False when {@code due} has passed already.
     */
    private boolean wakeWhenDue(Instant due) {
        if (millisUntil(due) == 0) {
            return false;
        }
        Instant at = endOfSpan(due);
        synchronized (signal) {
            if (timersDue.floorKey(at) != null) {
                return true;
            }
            // counted under the lock, so that two workers learning the same instant set one timer
            timersDue.put(at, 1);
        }
        startTimer(at, millisUntil(at));
        return true;
    }

    /** Starts the timer of {@code at}, already in {@link #timersDue}; when it fires it brings the wake-ups counted there. */
    private void startTimer(Instant at, long millis) {
        timersStarted.incrementAndGet();
        ScheduledExecutorService t = timers;
        Runnable fire = () -> {
            int wakeups;
            synchronized (signal) {
                Integer counted = timersDue.remove(at);
                wakeups = counted == null ? 0 : counted; // null: stopped and started again meanwhile
            }
            for (int i = 0; i < wakeups; i++) {
                wakeOne();
            }
        };
        if (t == null) {
            fire.run();
            return;
        }
        try {
            t.schedule(fire, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: nothing more is claimed
        }
    }

    private void workLoop(String workerId) {
        Duration backoff = Duration.ZERO;
        // Claims that no wake-up asked for (the first, a poll's, after an outage) may find a backlog: claim until none is due.
        boolean draining = true;
        while (running) {
            try {
                ReplyJobRunner.Step step = runner.runNext(workerId);
                backoff = Duration.ZERO;
                if (step.ran() && draining) {
                    continue;
                }
                // After a job a worker woken for it claims no more "to see": each due job has its own wake-up (its
                // enqueuer's timer, another instance's announcement, the runner's when it gives a job back), so such a
                // claim would find nothing and cost the store a transaction per answered text.
                // A job due already but not claimable (another transaction holds it): look again shortly.
                boolean later = step.ran() || step.nextDueAt() == null || wakeWhenDue(step.nextDueAt());
                draining = waitForWork(later ? pollInterval : Duration.ofMillis(10), true);
            } catch (StoreUnavailableException e) {
                backoff = backoff.isZero() ? Duration.ofMillis(200) : min(backoff.multipliedBy(2), Duration.ofSeconds(10));
                log.warn("Reply worker {}: store unavailable, retrying in {} ms", workerId, backoff.toMillis());
                waitForWork(backoff, false);
                draining = true;
            } catch (RuntimeException e) {
                log.error("Reply worker {} hit an unexpected error; continuing", workerId, LogSafe.exception(e));
                waitForWork(pollInterval, false);
                draining = true;
            }
        }
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

    /**
     * Waits up to {@code max} for a wake-up; with {@code takeWakeup}, one kept while every worker was busy ends the
     * wait at once, and the one that ends it is taken (so it wakes no other worker). Returns whether the claim that
     * follows should go on until nothing is due: no wake-up was taken (the wait ran out: a poll), or it asked for that.
     */
    private boolean waitForWork(Duration max, boolean takeWakeup) {
        synchronized (signal) {
            if (!running) {
                return true;
            }
            long deadline = System.nanoTime() + Math.max(1, max.toMillis()) * 1_000_000L;
            while (running && !(takeWakeup && permits > 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    signal.wait((left + 999_999) / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
                if (!takeWakeup) {
                    break; // a wake-up ends a back-off early
                }
                // Woken, but another worker took the wake-up first (or a spurious wake-up): wait on, rather than
                // claim for nothing.
            }
            if (takeWakeup && permits > 0) {
                permits--;
                boolean drainNow = drain;
                drain = false;
                return drainNow;
            }
            return true;
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
