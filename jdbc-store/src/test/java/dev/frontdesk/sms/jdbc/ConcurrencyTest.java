package dev.frontdesk.sms.jdbc;

import dev.frontdesk.sms.TestSids;
import static dev.frontdesk.sms.jdbc.Fixtures.T0;
import static dev.frontdesk.sms.jdbc.Fixtures.inbound;
import static dev.frontdesk.sms.jdbc.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.DuplicateTwilioSidException;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Races between connections, with real threads on a pool of separate connections, released together by a
 * start gate. Each assertion is an exact count, so a lost update or a double insert shows.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;

    /**
     * 8 threads x 200 inbound messages. At each position every thread texts from the same number (so the
     * first 40 positions race to create 40 new leads), and at 3 positions in 10 the threads pair up and
     * send the same MessageSid at the same moment (480 of the 1600 deliveries carry a repeated SID).
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRES"})
    void repeatedMessageSidsFromManyConnectionsGiveOneMessageAndOneJobEach(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            int perThread = 200;
            Set<String> sids = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            Set<Long> jobIds = ConcurrentHashMap.newKeySet();

            List<List<Object>> ignored = race(THREADS, t -> () -> {
                for (int k = 0; k < perThread; k++) {
                    String sid = k % 10 < 3 ? TestSids.sms("shared" + k + "x" + (t / 2)) : TestSids.sms("own" + k + "x" + t);
                    sids.add(sid);
                    InboundResult r = repo.recordInbound(inbound(sid, phone(k % 40), "message " + k),
                            Keyword.NONE, T0.plusMillis(k));
                    if (r.duplicate()) {
                        duplicates.incrementAndGet();
                        assertThat(r.replyJobId()).isNull();
                    } else {
                        assertThat(jobIds.add(r.replyJobId())).isTrue();
                    }
                    assertThat(r.message().twilioSid()).isEqualTo(sid);
                }
                return List.of();
            });

            assertThat(ignored).hasSize(THREADS);
            assertThat(sids).hasSize(140 * THREADS + 60 * THREADS / 2); // 1360
            assertThat(db.count("leads")).isEqualTo(40);
            assertThat(db.count("messages")).isEqualTo(1360);
            assertThat(db.count("reply_jobs")).isEqualTo(1360);
            assertThat(db.count("(SELECT DISTINCT inbound_message_id FROM reply_jobs) j")).isEqualTo(1360);
            assertThat(duplicates.get()).isEqualTo(240);
            assertThat(jobIds).hasSize(1360);
            assertThat(repo.replyQueue().pendingCount()).isEqualTo(1360);
            assertThat(repo.leads().listLeads(100)).allSatisfy(l -> assertThat(l.smsEnabled()).isTrue());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRES"})
    void firstMessagesFromANewNumberAtOnceGiveOneLead(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            for (int i = 0; i < 20; i++) {
                int round = i;
                int n = 1000 + round;
                List<Long> viaFind = race(THREADS, t -> () -> repo.leads().findOrCreateLead(phone(n), Lead.SOURCE_MANUAL, T0).id());
                assertThat(Set.copyOf(viaFind)).hasSize(1);

                int m = 2000 + round;
                List<InboundResult> viaInbound = race(THREADS, t -> () ->
                        repo.recordInbound(inbound(TestSids.sms("first" + round + "x" + t), phone(m), "hi " + t), Keyword.NONE, T0));
                assertThat(viaInbound).extracting(r -> r.lead().id()).containsOnly(viaInbound.get(0).lead().id());
                assertThat(viaInbound).allSatisfy(r -> assertThat(r.duplicate()).isFalse());
                assertThat(repo.messages().history(viaInbound.get(0).lead().id(), 100)).hasSize(THREADS);
            }
            assertThat(db.count("leads")).isEqualTo(40);
            assertThat(db.count("messages")).isEqualTo(20 * THREADS);
            assertThat(db.count("reply_jobs")).isEqualTo(20 * THREADS);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRES"})
    void fourWorkersClaimEachOfAThousandJobsExactlyOnce(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            for (int i = 0; i < 1000; i++) {
                repo.recordInbound(inbound(TestSids.sms("job" + i), phone(i % 50), "job " + i), Keyword.NONE, T0);
            }
            ReplyQueue queue = repo.replyQueue();
            Instant now = T0.plusSeconds(60);
            Map<Long, String> claimedBy = new ConcurrentHashMap<>();
            AtomicInteger claims = new AtomicInteger();

            List<Integer> perWorker = race(4, w -> () -> {
                String worker = "worker-" + w;
                int mine = 0;
                Optional<ReplyJob> job;
                while ((job = queue.claim(worker, Duration.ofMinutes(5), now)).isPresent()) {
                    claims.incrementAndGet();
                    String before = claimedBy.putIfAbsent(job.get().id(), worker);
                    assertThat(before).as("job %d claimed twice", job.get().id()).isNull();
                    assertThat(job.get().attempts()).isEqualTo(1);
                    assertThat(queue.complete(job.get().id(), worker, now)).isTrue();
                    mine++;
                }
                return mine;
            });

            assertThat(claims.get()).isEqualTo(1000);
            assertThat(claimedBy).hasSize(1000);
            assertThat(perWorker.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
            assertThat(queue.pendingCount()).isZero();
            assertThat(db.count("reply_jobs WHERE done = TRUE AND attempts = 1")).isEqualTo(1000);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRES"})
    void anExpiredLeaseIsTakenOverByExactlyOneWorkerAndALiveOneByNone(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            ReplyQueue queue = repo.replyQueue();
            long live = repo.recordInbound(inbound("SM7e57247610f4dedd4ab7247d07dbda19", phone(1), "a"), Keyword.NONE, T0).replyJobId();
            long dead = repo.recordInbound(inbound("SM7e57000000000000000000000000dead", phone(2), "b"), Keyword.NONE, T0).replyJobId();

            assertThat(queue.claim("dying", Duration.ofSeconds(30), T0).orElseThrow().id()).isEqualTo(live);
            assertThat(queue.claim("dying", Duration.ofSeconds(30), T0).orElseThrow().id()).isEqualTo(dead);
            assertThat(queue.extendLease(live, "dying", T0.plusSeconds(300))).isTrue();

            // At T0+60 the lease of "dead" has run out, that of "live" (extended) has not.
            Instant later = T0.plusSeconds(60);
            List<Optional<ReplyJob>> attempts = race(THREADS, t -> () -> queue.claim("rescuer-" + t, Duration.ofSeconds(30), later));
            List<ReplyJob> won = attempts.stream().flatMap(Optional::stream).toList();
            assertThat(won).hasSize(1);
            assertThat(won.get(0).id()).isEqualTo(dead);
            assertThat(won.get(0).attempts()).isEqualTo(2);
            assertThat(won.get(0).leaseUntil()).isEqualTo(later.plusSeconds(30));

            assertThat(queue.complete(dead, "dying", later)).isFalse();
            assertThat(queue.extendLease(dead, "dying", later.plusSeconds(60))).isFalse();
            assertThat(queue.complete(dead, won.get(0).leaseOwner(), later)).isTrue();
            assertThat(queue.claim("other", Duration.ofSeconds(30), later)).isEmpty();
            assertThat(queue.nextDueAt(later)).contains(T0.plusSeconds(300));
            assertThat(queue.claim("other", Duration.ofSeconds(30), T0.plusSeconds(300)).orElseThrow().id()).isEqualTo(live);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRES"})
    void oneReplyPerJobAndOneHolderPerSidUnderRaces(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            InboundResult in = repo.recordInbound(inbound("SM7e578e35c2cd3bf6641bdb0e2050b769", phone(3), "q"), Keyword.NONE, T0);
            long leadId = in.lead().id();

            List<Message> replies = race(THREADS, t -> () -> repo.messages().recordOutbound(new NewOutboundMessage(leadId,
                    Fixtures.BUSINESS, phone(3).value(), "reply " + t, MessageStatus.PENDING, null, 1, in.replyJobId(), T0)));
            assertThat(replies).extracting(Message::id).containsOnly(replies.get(0).id());
            assertThat(db.count("messages WHERE reply_job_id IS NOT NULL")).isEqualTo(1);

            List<Message> staff = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                staff.add(repo.messages().recordOutbound(new NewOutboundMessage(leadId, Fixtures.BUSINESS, phone(3).value(),
                        "staff " + i, MessageStatus.PENDING, null, 1, null, T0)));
            }
            List<String> outcomes = race(THREADS, t -> () -> {
                try {
                    repo.messages().markSent(staff.get(t).id(), new SendResult("SM7e570967115f2813a3541eaef77de9d9", MessageStatus.QUEUED, 1, null), T0);
                    return "sent";
                } catch (DuplicateTwilioSidException e) {
                    return "duplicate";
                }
            });
            assertThat(outcomes).filteredOn("sent"::equals).hasSize(1);
            assertThat(outcomes).filteredOn("duplicate"::equals).hasSize(THREADS - 1);
            assertThat(db.count("messages WHERE twilio_sid = 'SM7e570967115f2813a3541eaef77de9d9'")).isEqualTo(1);
            assertThat(db.count("messages WHERE sent_at IS NOT NULL")).isEqualTo(1);
        }
    }

    /** Runs {@code n} tasks on {@code n} threads released at once; returns their results in task order. */
    static <T> List<T> race(int n, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return body.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            // On a failure, stop the other threads before the database is dropped under them.
            pool.shutdownNow();
            pool.awaitTermination(60, TimeUnit.SECONDS);
        }
    }
}
