package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The due-work loop that owner alerts and event delivery run on: a full batch is followed by another pass at once, an
 * idle loop sleeps until woken (the poll here is an hour, so nothing but the wake-up can start a pass), a pass that
 * throws is reported and the loop goes on, and stopping interrupts a pass that blocks when asked to.
 */
class DueWorkLoopTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void aFullBatchIsFollowedByAnotherPassAtOnceThenTheLoopWaitsForAWakeUp() throws Exception {
        BlockingQueue<Integer> results = new LinkedBlockingQueue<>(List.of(5, 5, 2, 0));
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        CountDownLatch fourth = new CountDownLatch(4);
        List<Instant> askedNextDue = new CopyOnWriteArrayList<>();
        DueWorkLoop loop = new DueWorkLoop("due-test", 5, HOUR, Clock.systemUTC(), () -> {
            passes.incrementAndGet();
            third.countDown();
            fourth.countDown();
            Integer r = results.poll();
            return r == null ? 0 : r;
        }, now -> {
            askedNextDue.add(now);
            return Optional.empty();
        }, e -> { });
        assertThat(loop.start()).isTrue();
        assertThat(loop.start()).as("already running").isFalse();
        try {
            assertThat(third.await(10, TimeUnit.SECONDS)).as("two full batches, then a third pass").isTrue();
            // the third pass took 2 of 5: the loop asked when the next row is due and sleeps (an hour, unless woken)
            assertThat(fourth.await(300, TimeUnit.MILLISECONDS)).as("no pass without a wake-up").isFalse();
            assertThat(passes.get()).isEqualTo(3);
            assertThat(askedNextDue).hasSize(1);
            loop.wake();
            assertThat(fourth.await(10, TimeUnit.SECONDS)).as("the wake-up's pass").isTrue();
        } finally {
            loop.stop(false, () -> { }, Duration.ofSeconds(5));
        }
    }

    @Test
    void aPassThatThrowsIsReportedAndTheLoopGoesOn() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        BlockingQueue<RuntimeException> reported = new LinkedBlockingQueue<>();
        CountDownLatch second = new CountDownLatch(2);
        DueWorkLoop loop = new DueWorkLoop("due-test", 5, HOUR, Clock.systemUTC(), () -> {
            second.countDown();
            if (passes.incrementAndGet() == 1) {
                throw new IllegalStateException("store down");
            }
            return 0;
        }, now -> Optional.empty(), reported::add);
        loop.start();
        try {
            RuntimeException e = reported.poll(10, TimeUnit.SECONDS);
            assertThat(e).hasMessage("store down");
            loop.wake();
            assertThat(second.await(10, TimeUnit.SECONDS)).as("a pass after the failed one").isTrue();
            assertThat(reported).isEmpty();
        } finally {
            loop.stop(false, () -> { }, Duration.ofSeconds(5));
        }
    }

    @Test
    void stoppingInterruptsAPassThatBlocksAndNoPassStartsAfter() throws Exception {
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger passes = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        DueWorkLoop loop = new DueWorkLoop("due-test", 5, HOUR, Clock.systemUTC(), () -> {
            passes.incrementAndGet();
            inPass.countDown();
            try {
                Thread.sleep(HOUR.toMillis()); // a call that blocks, as a POST to a dead receiver
            } catch (InterruptedException e) {
                order.add("interrupted");
                interrupted.countDown();
            }
            return 5; // a full batch: the loop would run again at once, were it not stopped
        }, now -> Optional.empty(), e -> { });
        loop.start();
        assertThat(inPass.await(10, TimeUnit.SECONDS)).isTrue();
        loop.stop(true, () -> order.add("cancelled"), Duration.ofSeconds(5));
        assertThat(interrupted.await(0, TimeUnit.SECONDS)).as("stop waited for the interrupted pass").isTrue();
        assertThat(order).contains("interrupted", "cancelled");
        assertThat(passes.get()).isEqualTo(1);
        assertThat(loop.start()).as("a stopped loop starts again").isTrue();
        loop.stop(true, () -> { }, Duration.ofSeconds(5));
    }
}
