package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.Fixtures.inbound;
import static dev.frontdesk.sms.jdbc.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.ReplyRequest;
import dev.frontdesk.sms.ReplyResult;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.Qualification;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * What an answered text costs the database in transactions (commits; each statement in auto-commit is one): five,
 * the webhook's included, for a returning customer whose reply is written by the AI (which also learned a booking
 * detail), with the default two workers (which once both claimed a job at its due time, one of them for nothing).
 * A count, not a timing; {@code benchmarks/commits.sh} reads PostgreSQL's own counters (BENCHMARKS.md), which also
 * count what the pool and the listening connection cost.
 */
class ReplyCommitsTest {

    /** Webhook, claim with context, cap note, reply recorded and fenced, send recorded with the AI call. */
    private static final int BUDGET = 5;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> stores() {
        return java.util.stream.Stream.of(TestDatabase.Kind.H2_MEMORY, TestDatabase.Kind.POSTGRES)
                .flatMap(k -> java.util.stream.Stream.of(org.junit.jupiter.params.provider.Arguments.of(k, false),
                        org.junit.jupiter.params.provider.Arguments.of(k, true)));
    }

    /**
     * With follow-ups on, the same five: the reply's send schedules the lead's follow-up in its own transaction and the
     * customer's next text cancels it in the webhook's.
     */
    @ParameterizedTest(name = "{0}, follow-ups {1}")
    @org.junit.jupiter.params.provider.MethodSource("stores")
    void anAnsweredTextCostsFiveTransactionsWebhookIncluded(TestDatabase.Kind kind, boolean followUps) throws Exception {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository.migrate(db.dataSource());
            CountingDataSource counting = new CountingDataSource(db.dataSource());
            JdbcLeadRepository repo = JdbcLeadRepository.builder(counting).migrate(false).build();
            JdbcLeadRepository observer = JdbcLeadRepository.builder(db.dataSource()).migrate(false).build();
            Semaphore sent = new Semaphore(0);
            AtomicInteger sids = new AtomicInteger();
            SmsGateway gateway = new SmsGateway() {
                @Override
                public SendResult send(OutboundSms sms) {
                    sent.release();
                    return new SendResult(String.format("SMc0%030d", sids.incrementAndGet()), MessageStatus.QUEUED, 1, sms.from());
                }

                @Override
                public boolean isVerified(PhoneNumber number) {
                    return true;
                }
            };
            FrontDeskConfig config = FrontDeskConfig.builder().twilioTestMode(false).businessName("Acme Plumbing")
                    .followUpAfter(followUps ? Duration.ofHours(1) : Duration.ZERO).build();
            try (FrontDesk desk = FrontDesk.builder().config(config).repository(repo).gateway(gateway)
                    .replyGenerator(new ReplyGenerator() {
                        @Override
                        public String generateReply(ReplyRequest request) {
                            return generate(request).reply();
                        }

                        @Override
                        public ReplyResult generate(ReplyRequest request) {
                            return new ReplyResult("Thanks! What is your address?",
                                    Map.of(Qualification.Field.SERVICE, "leaking sink"), 120, 30, "test-model");
                        }
                    })
                    .replySettle(Duration.ofMillis(200))
                    .pollInterval(Duration.ofHours(1)) // no safety-net polls inside the window: only the text's own work counts
                    .workers(2)
                    .build()) {
                desk.start();
                // A first text makes the customer a returning one.
                desk.receiveInbound(inbound("SMc1000000000000000000000000000001", phone(3), "Hi, my sink leaks"));
                awaitAnswered(sent, db);
                // The workers' first claims at start found nothing due and set no timer (nothing was pending): the first
                // text's work ends when its job is done.
                counting.reset();

                desk.receiveInbound(inbound("SMc1000000000000000000000000000002", phone(3), "Are you there?"));
                awaitAnswered(sent, db);
                // Longer than the settle time: a worker that claimed again after the job (for more, or woken twice for
                // it) would have done so by now.
                await(() -> counting.transactions() > BUDGET, Duration.ofMillis(600));

                assertThat(counting.transactions())
                        .as("webhook, claim with context, cap note, reply recorded and fenced, send recorded with the AI call; were: %s",
                                counting.where)
                        .isEqualTo(BUDGET);
                assertThat(observer.usage().counts(java.time.Instant.EPOCH, java.time.Instant.now().plusSeconds(60)).aiCalls())
                        .as("both AI calls recorded").isEqualTo(2);
                assertThat(observer.leads().listLeads(10).get(0).qualification().service()).isEqualTo("leaking sink");
                assertThat(db.count("reply_jobs WHERE done = FALSE AND kind = 'follow_up'")).as("the lead's follow-up waits")
                        .isEqualTo(followUps ? 1 : 0);
            }
        }
    }

    /** The reply was sent and its job is done (a follow-up it scheduled may wait). */
    private static void awaitAnswered(Semaphore sent, TestDatabase db) throws InterruptedException {
        String replies = "reply_jobs WHERE done = FALSE AND kind <> 'follow_up'";
        assertThat(sent.tryAcquire(20, TimeUnit.SECONDS)).as("the reply was sent").isTrue();
        await(() -> db.count(replies) == 0, Duration.ofSeconds(20));
        assertThat(db.count(replies)).as("the job is done").isZero();
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code max} has passed. */
    private static void await(BooleanSupplier condition, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Counts transactions: commits, and statements executed in auto-commit mode. */
    static final class CountingDataSource extends PlainDataSource {
        private final DataSource target;
        private final AtomicInteger transactions = new AtomicInteger();
        /** Where each transaction came from (the store classes on the stack), for a failure's message. */
        final java.util.List<String> where = new java.util.concurrent.CopyOnWriteArrayList<>();

        private void count() {
            transactions.incrementAndGet();
            where.add(StackWalker.getInstance().walk(f -> f.map(x -> x.getClassName().replaceAll(".*\\.", "") + "." + x.getMethodName())
                    .filter(n -> !n.startsWith("ReplyCommitsTest") && !n.contains("Jdbi") && !n.contains("Handle"))
                    .filter(n -> n.startsWith("Jdbc") || n.startsWith("Reply") || n.startsWith("Inbound") || n.startsWith("Front") || n.startsWith("Tx"))
                    .limit(4).toList()).toString());
        }

        CountingDataSource(DataSource target) {
            this.target = target;
        }

        int transactions() {
            return transactions.get();
        }

        void reset() {
            transactions.set(0);
            where.clear();
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = target.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("commit") && !c.getAutoCommit()) {
                            count();
                        }
                        Object result = invoke(c, method, args);
                        if (result instanceof Statement s) {
                            Class<?> type = result instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                                    : result instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
                            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
                                if (m.getName().startsWith("execute") && c.getAutoCommit()) {
                                    count();
                                }
                                return invoke(s, m, a);
                            });
                        }
                        return result;
                    });
        }
    }
}
