package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.Fixtures.T0;
import static dev.frontdesk.sms.jdbc.Fixtures.inbound;
import static dev.frontdesk.sms.jdbc.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.MediaItem;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.StatusUpdate;
import dev.frontdesk.sms.StoreUnavailableException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A database that cannot be reached is reported as {@link StoreUnavailableException}, with nothing half-written. */
class StoreUnavailableTest {

    /** Every kind of call the store has, each expected to fail the same way on a dead database. */
    private static final List<ThrowingConsumer<JdbcLeadRepository>> CALLS = List.of(
            r -> r.recordInbound(inbound("SM7e570000000000000000000000000001", phone(1), "hi"), Keyword.NONE, T0),
            r -> r.leads().findOrCreateLead(phone(1), Lead.SOURCE_MANUAL, T0),
            r -> r.leads().findLead(1),
            r -> r.leads().findLeadByPhone(phone(1)),
            r -> r.leads().listLeads(10),
            r -> r.leads().setOptOut(1, true, T0),
            r -> r.messages().recordOutbound(new NewOutboundMessage(1, null, phone(1).value(), "x", MessageStatus.PENDING, null, 1, null, T0)),
            r -> r.messages().findReplyForJob(1),
            r -> r.messages().markSent(1, new SendResult("SM7e570000000000000000000000000002", MessageStatus.QUEUED, 1, null), T0),
            r -> r.messages().markFailed(1, MessageStatus.FAILED, "x"),
            r -> r.messages().applyStatus(new StatusUpdate("SM7e570000000000000000000000000002", MessageStatus.DELIVERED, null), T0),
            r -> r.messages().findMessage(1),
            r -> r.messages().findMessageBySid("SM7e570000000000000000000000000001"),
            r -> r.messages().history(1, 10),
            r -> r.replyQueue().claim("w", Duration.ofSeconds(30), T0),
            r -> r.replyQueue().extendLease(1, "w", T0),
            r -> r.replyQueue().complete(1, "w", T0),
            r -> r.replyQueue().retryLater(1, "w", "e", T0),
            r -> r.replyQueue().pendingCount(),
            r -> r.replyQueue().nextDueAt(T0),
            JdbcLeadRepository::checkAvailable);

    @Test
    void aDatabaseOnAClosedPortIsUnavailable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/test?connectTimeout=2");
        ds.setUser("postgres");

        assertThatThrownBy(() -> JdbcLeadRepository.create(ds)).isInstanceOf(StoreUnavailableException.class);
        JdbcLeadRepository repo = JdbcLeadRepository.builder(ds).migrate(false).build();
        assertEveryCallIsUnavailable(repo);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aClosedPoolIsUnavailable(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            repo.checkAvailable();
            db.closePool();
            assertEveryCallIsUnavailable(repo);
        }
    }

    /**
     * The connection breaks after the k-th statement of an inbound transaction (or at its commit), for
     * every k: each time the caller gets {@link StoreUnavailableException} and no table holds a row.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void aConnectionLostMidTransactionLeavesNothingHalfWritten(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository.migrate(db.dataSource());
            BreakingDataSource breaking = new BreakingDataSource(db.dataSource());
            JdbcLeadRepository repo = JdbcLeadRepository.builder(breaking).migrate(false).build();
            MediaItem[] media = {new MediaItem("https://api.twilio.com/m/1", "image/jpeg"),
                    new MediaItem("https://api.twilio.com/m/2", "image/png")};

            int k = 0;
            while (true) {
                breaking.breakAfter(k);
                try {
                    InboundResult r = repo.recordInbound(inbound("SM7e570000000000000000000000000001", phone(1), "hi", media), Keyword.NONE, T0);
                    assertThat(r.replyJobId()).isNotNull();
                    break;
                } catch (StoreUnavailableException expected) {
                    for (String table : List.of("leads", "messages", "message_media", "reply_jobs")) {
                        assertThat(db.count(table)).as("%s after breaking at operation %d", table, k).isZero();
                    }
                }
                k++;
                assertThat(k).as("the inbound transaction should take a bounded number of statements").isLessThan(50);
            }
            // Lead update (none: a new number), lead insert, message insert, the 2 media in one batch, job
            // insert, commit.
            assertThat(k).isGreaterThanOrEqualTo(6);
            assertThat(db.count("leads")).isEqualTo(1);
            assertThat(db.count("messages")).isEqualTo(1);
            assertThat(db.count("message_media")).isEqualTo(2);
            assertThat(db.count("reply_jobs")).isEqualTo(1);
        }
    }

    private static void assertEveryCallIsUnavailable(JdbcLeadRepository repo) {
        for (int i = 0; i < CALLS.size(); i++) {
            ThrowingConsumer<JdbcLeadRepository> call = CALLS.get(i);
            assertThatThrownBy(() -> call.accept(repo)).as("call %d", i)
                    .isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).code()).isEqualTo("unavailable"));
        }
    }

    /**
     * Hands out the pool's connections, but once {@code n} statements or commits have run through them,
     * every further one fails the way a dropped connection does (SQLState 08006).
     */
    static final class BreakingDataSource extends PlainDataSource {
        private final DataSource target;
        private final AtomicInteger remaining = new AtomicInteger(Integer.MAX_VALUE);

        BreakingDataSource(DataSource target) {
            this.target = target;
        }

        void breakAfter(int n) {
            remaining.set(n);
        }

        /** Statements and commits run since the last {@link #breakAfter}({@code Integer.MAX_VALUE}). */
        int used() {
            return Integer.MAX_VALUE - remaining.get();
        }

        private void tick() throws SQLException {
            if (remaining.getAndDecrement() <= 0) {
                throw new SQLException("Connection reset (simulated)", "08006");
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = target.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("commit")) {
                            tick();
                        }
                        Object result = invoke(c, method, args);
                        if (result instanceof PreparedStatement ps) {
                            return wrap(ps, PreparedStatement.class);
                        }
                        if (result instanceof Statement s) {
                            return wrap(s, Statement.class);
                        }
                        return result;
                    });
        }

        private <S extends Statement> Object wrap(S statement, Class<S> type) {
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                if (method.getName().startsWith("execute")) {
                    tick();
                }
                return invoke(statement, method, args);
            });
        }
    }
}
