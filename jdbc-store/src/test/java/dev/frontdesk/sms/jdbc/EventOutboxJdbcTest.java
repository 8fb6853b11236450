package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.Fixtures.BUSINESS;
import static dev.frontdesk.sms.jdbc.Fixtures.T0;
import static dev.frontdesk.sms.jdbc.Fixtures.inbound;
import static dev.frontdesk.sms.jdbc.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.OutboxEvent;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.RecordingGateway;
import dev.frontdesk.sms.StoreUnavailableException;
import dev.frontdesk.sms.events.EventWebhooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JDBC outbox under failure and across instances: nothing half-written, every event delivered once. */
class EventOutboxJdbcTest {

    /** The webhook's transaction broken at each of its operations in turn: no event row without its message. */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void aWebhookTransactionThatFailsLeavesNoEventRow(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository.migrate(db.dataSource());
            StoreUnavailableTest.BreakingDataSource breaking = new StoreUnavailableTest.BreakingDataSource(db.dataSource());
            JdbcLeadRepository repo = JdbcLeadRepository.builder(breaking).migrate(false).build();
            repo.events().enable();
            int k = 0;
            while (true) {
                breaking.breakAfter(k);
                try {
                    repo.recordInbound(inbound("SM7e57ee000000000000000000000000a1", phone(1), "hi"), Keyword.NONE, T0);
                    break;
                } catch (StoreUnavailableException expected) {
                    for (String table : List.of("leads", "messages", "reply_jobs", "lead_events")) {
                        assertThat(db.count(table)).as("%s after breaking at operation %d", table, k).isZero();
                    }
                }
                k++;
                assertThat(k).isLessThan(50);
            }
            assertThat(db.count("lead_events")).as("lead.created and message.received").isEqualTo(2);

            // A returning customer (on PostgreSQL the one statement with its event CTE): all of it or nothing.
            for (k = 0; ; k++) {
                breaking.breakAfter(k);
                try {
                    repo.recordInbound(inbound("SM7e57ee000000000000000000000000a2", phone(1), "again"), Keyword.NONE, T0);
                    break;
                } catch (StoreUnavailableException expected) {
                    assertThat(db.count("messages")).isEqualTo(1);
                    assertThat(db.count("lead_events")).as("after breaking at operation %d", k).isEqualTo(2);
                }
                assertThat(k).isLessThan(50);
            }
            assertThat(db.count("messages")).isEqualTo(2);
            assertThat(db.count("lead_events")).isEqualTo(3);
        }
    }

    /** Two front desks on one schema, each delivering as fast as it can: every event reaches the CRM exactly once. */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRES"})
    void twoFrontDesksOnOneDatabaseDeliverEachEventOnce(TestDatabase.Kind kind) throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        try (TestDatabase db = TestDatabase.of(kind); MockWebServer crm = new MockWebServer()) {
            crm.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    requests.incrementAndGet();
                    if (!seen.add(request.getHeader("FrontDesk-Event-Id"))) {
                        duplicates.incrementAndGet();
                    }
                    return new MockResponse().setResponseCode(200);
                }
            });
            crm.start();
            EventWebhooks events = EventWebhooks.builder().url(crm.url("/crm").toString()).secret("whsec_two").allowPrivate(true).build();
            FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS)).twilioTestMode(false).build();
            FrontDesk a = FrontDesk.builder().config(config).repository(JdbcLeadRepository.create(db.dataSource()))
                    .gateway(new RecordingGateway()).workerId("desk-a").events(events).build();
            FrontDesk b = FrontDesk.builder().config(config).repository(JdbcLeadRepository.builder(db.dataSource()).migrate(false).build())
                    .gateway(new RecordingGateway()).workerId("desk-b").events(events).build();
            JdbcLeadRepository reader = JdbcLeadRepository.builder(db.dataSource()).migrate(false).build();
            try {
                for (int i = 0; i < 30; i++) {
                    FrontDesk desk = i % 2 == 0 ? a : b;
                    desk.receiveInbound(inbound(String.format("SM7e57ee%026d", i), phone(i % 15), "text " + i));
                }
                assertThat(reader.events().list(OutboxEvent.Status.PENDING, 1000)).as("15 leads, 30 texts").hasSize(45);

                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Integer>> runs = List.of(a, b, a, b).stream().map(desk -> pool.submit(() -> {
                        go.await();
                        int attempted = 0;
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (System.nanoTime() < deadline) {
                            int n = desk.deliverEvents();
                            attempted += n;
                            if (n == 0 && reader.events().list(OutboxEvent.Status.PENDING, 1).isEmpty()) {
                                break;
                            }
                        }
                        return attempted;
                    })).toList();
                    go.countDown();
                    int attempted = 0;
                    for (Future<Integer> f : runs) {
                        attempted += f.get(90, TimeUnit.SECONDS);
                    }
                    assertThat(attempted).as("no event claimed twice").isEqualTo(45);
                } finally {
                    pool.shutdownNow();
                }
                assertThat(duplicates.get()).isZero();
                assertThat(requests.get()).isEqualTo(45);
                assertThat(seen).hasSize(45);
                assertThat(reader.events().list(OutboxEvent.Status.DELIVERED, 1000)).hasSize(45);
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
