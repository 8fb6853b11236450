package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.Fixtures.inbound;
import static dev.frontdesk.sms.jdbc.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.RecordingGateway;
import dev.frontdesk.sms.TestSids;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * PostgreSQL {@code LISTEN}/{@code NOTIFY}: two front desks on one database, each with its own pool and its own
 * listening connection. Instance B's workers poll only every 60 s, so a job that B answers within seconds
 * was announced to it.
 */
class JobAnnouncementsTest {

    private static final Duration POLL = Duration.ofSeconds(60);
    /** Well before B's poll: only an announcement can wake B's worker this soon. */
    private static final long PICKUP_MILLIS = 10_000;

    @Test
    void jobsEnqueuedByAnotherInstanceAreAnsweredWellBeforeThePoll() throws Exception {
        try (TestDatabase db = TestDatabase.postgres(); Instances two = new Instances(db)) {
            two.awaitBIdleAndListening();
            long start = System.nanoTime();
            two.a.receiveInbound(inbound(TestSids.sms("announced-1"), phone(1), "Is tomorrow possible?"));
            assertThat(two.gatewayB.awaitSent(1, PICKUP_MILLIS)).hasSize(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(PICKUP_MILLIS));

            // A returning customer's text takes PostgreSQL's one-statement path, which announces its job too.
            two.awaitBIdleAndListening();
            start = System.nanoTime();
            two.a.receiveInbound(inbound(TestSids.sms("announced-1b"), phone(1), "Around 9?"));
            assertThat(two.gatewayB.awaitSent(2, PICKUP_MILLIS)).hasSize(2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(PICKUP_MILLIS));
            assertThat(two.gatewayA.sent()).isEmpty();

            int pid = two.listenB.backendPids.get(0);
            two.b.close();
            await("B's listening connection closed", () -> !Instances.connected(pid));
        }
    }

    @Test
    void theListeningConnectionRecoversAfterItIsTerminated() throws Exception {
        try (TestDatabase db = TestDatabase.postgres(); Instances two = new Instances(db)) {
            two.awaitBIdleAndListening();
            int terminated = two.listenB.backendPids.get(0);
            try (Connection admin = DriverManager.getConnection(TestDatabase.PG_BASE_URL, TestDatabase.PG_USER, "");
                 PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
                ps.setInt(1, terminated);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next() && rs.getBoolean(1)).isTrue();
                }
            }
            await("a new listening connection", () -> two.listenB.backendPids.size() >= 2);
            two.awaitBIdleAndListening();

            two.a.receiveInbound(inbound(TestSids.sms("announced-2"), phone(2), "Still there?"));
            assertThat(two.gatewayB.awaitSent(1, PICKUP_MILLIS)).hasSize(1);
        }
    }

    /** A: takes webhooks, runs no workers. B: one worker, polling every 60 s, listening. */
    private static final class Instances implements AutoCloseable {
        final RecordingGateway gatewayA = new RecordingGateway();
        final RecordingGateway gatewayB = new RecordingGateway();
        final RecordingDataSource listenB;
        final HikariDataSource poolA;
        final HikariDataSource poolB;
        final FrontDesk a;
        final FrontDesk b;

        Instances(TestDatabase db) {
            poolA = db.newPool(3);
            poolB = db.newPool(3);
            RecordingDataSource listenA = new RecordingDataSource(db.url());
            listenB = new RecordingDataSource(db.url());
            JdbcLeadRepository storeA = JdbcLeadRepository.builder(poolA).listenDataSource(listenA).build();
            JdbcLeadRepository storeB = JdbcLeadRepository.builder(poolB).listenDataSource(listenB).migrate(false).build();
            a = FrontDesk.builder().config(config()).repository(storeA).gateway(gatewayA).workerId("a").build();
            b = FrontDesk.builder().config(config()).repository(storeB).gateway(gatewayB).workerId("b")
                    .workers(1).pollInterval(POLL).build();
            b.start();
        }

        /** Waits until B's listening connection has run LISTEN and B's worker waits for work. */
        void awaitBIdleAndListening() throws InterruptedException {
            await("B listening", () -> {
                List<Integer> pids = listenB.backendPids;
                return !pids.isEmpty() && listening(pids.get(pids.size() - 1));
            });
            await("B's worker waiting", () -> Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getName().startsWith("b-worker"))
                    .anyMatch(e -> e.getKey().getState() == Thread.State.TIMED_WAITING
                            && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals("java.lang.Object")
                                    && f.getMethodName().startsWith("wait"))));
        }

        private static boolean listening(int pid) {
            try (Connection c = DriverManager.getConnection(TestDatabase.PG_BASE_URL, TestDatabase.PG_USER, "");
                 PreparedStatement ps = c.prepareStatement("SELECT query FROM pg_stat_activity WHERE pid = ?")) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getString(1).startsWith("LISTEN");
                }
            } catch (SQLException e) {
                return false;
            }
        }

        static boolean connected(int pid) {
            try (Connection c = DriverManager.getConnection(TestDatabase.PG_BASE_URL, TestDatabase.PG_USER, "");
                 PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_stat_activity WHERE pid = ?")) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                return true;
            }
        }

        @Override
        public void close() {
            b.close();
            a.close();
            poolA.close();
            poolB.close();
        }
    }

    private static FrontDeskConfig config() {
        return FrontDeskConfig.builder()
                .twilioPhoneNumber(new PhoneNumber("+15550001111"))
                .twilioTestMode(false)
                .businessName("Acme Plumbing")
                .publicBaseUrl("https://abc123.ngrok.io")
                .fallbackReply("Thanks! A person will text you back soon.")
                .build();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Plain connections (no pool), remembering each one's backend process id. */
    static final class RecordingDataSource extends PlainDataSource {
        final List<Integer> backendPids = new CopyOnWriteArrayList<>();
        private final String url;

        RecordingDataSource(String url) {
            this.url = url;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = DriverManager.getConnection(url, TestDatabase.PG_USER, "");
            backendPids.add(c.unwrap(PGConnection.class).getBackendPID());
            return c;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }
    }
}
