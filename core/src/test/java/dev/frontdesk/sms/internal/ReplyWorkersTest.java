package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The workers' wake-up timers, on the real clock: a job due later is claimed when it is due, by one worker. */
class ReplyWorkersTest {

    /** When each claim ran, after the two claims every worker makes as it starts. */
    final List<Instant> claims = new CopyOnWriteArrayList<>();
    final Semaphore claimed = new Semaphore(0);
    final ReplyWorkers workers = new ReplyWorkers(worker -> {
        claims.add(Instant.now());
        claimed.release();
        return new ReplyJobRunner.Step(false, null);
    }, new InMemoryLeadRepository().replyQueue(), Clock.systemUTC(), Duration.ofMinutes(10));

    @AfterEach
    void stop() {
        ReplyWorkers.awaitStopped(workers.stopClaiming(), Duration.ofSeconds(5));
    }

    private void startAndSettle() throws InterruptedException {
        workers.start(2, "test");
        assertThat(claimed.tryAcquire(2, 10, TimeUnit.SECONDS)).as("each worker's first claim").isTrue();
        claims.clear();
    }

    /**
     * A grid instant of the spans 1.5 s from now, so that every due time below is still ahead when it is set, even on a
     * machine loaded enough to pause this thread for a second.
     */
    private static Instant spanStartAhead() {
        long grain = ReplyWorkers.TIMER_GRAIN_MILLIS;
        return Instant.ofEpochMilli((System.currentTimeMillis() / grain + 1500 / grain) * grain);
    }

    @Test
    void theJobsOfABurstShareOneTimerAndEachIsClaimedOnceWhenDue() throws InterruptedException {
        startAndSettle();
        Instant start = spanStartAhead();
        Instant last = null;
        for (int i = 0; i < 20; i++) {
            last = start.plusNanos(i * 450_000L); // 20 texts within 9 ms: one span
            workers.wakeAt(last);
        }
        assertThat(workers.timersStarted()).as("one timer for the burst").isEqualTo(1);
        assertThat(claimed.tryAcquire(20, 10, TimeUnit.SECONDS)).as("one claim per job").isTrue();
        assertThat(claims).hasSize(20).allSatisfy(at -> assertThat(at).isAfterOrEqualTo(ReplyWorkers.endOfSpan(start)));
        assertThat(claimed.tryAcquire(1, 300, TimeUnit.MILLISECONDS)).as("no claim more than the jobs").isFalse();
    }

    @Test
    void jobsDueInDifferentSpansHaveATimerEachAndNoneIsClaimedEarly() throws InterruptedException {
        startAndSettle();
        Instant start = spanStartAhead();
        long grain = ReplyWorkers.TIMER_GRAIN_MILLIS;
        for (int span = 0; span < 3; span++) {
            workers.wakeAt(start.plusMillis(span * 20 * grain));
            workers.wakeAt(start.plusMillis(span * 20 * grain + grain / 2));
        }
        assertThat(workers.timersStarted()).isEqualTo(3);
        assertThat(claimed.tryAcquire(6, 10, TimeUnit.SECONDS)).isTrue();
        List<Instant> inOrder = claims.stream().sorted().toList();
        for (int i = 0; i < 6; i++) {
            assertThat(inOrder.get(i)).as("claim %d: not before its span's jobs were due", i)
                    .isAfterOrEqualTo(start.plusMillis((i / 2) * 20 * grain + grain / 2));
        }
    }

    @Test
    void theEndOfASpanIsNeverBeforeTheDueTime() {
        long grain = ReplyWorkers.TIMER_GRAIN_MILLIS;
        java.util.Random random = new java.util.Random(19);
        for (int i = 0; i < 10_000; i++) {
            Instant due = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1_000_000), random.nextInt(1_000_000_000));
            Instant end = ReplyWorkers.endOfSpan(due);
            assertThat(end).isAfter(due);
            assertThat(Duration.between(due, end)).isLessThanOrEqualTo(Duration.ofMillis(grain));
            assertThat(end.toEpochMilli() % grain).isZero();
        }
    }
}
