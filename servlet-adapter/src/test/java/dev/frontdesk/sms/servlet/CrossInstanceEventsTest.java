package dev.frontdesk.sms.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Live events across instances: two front desks, each with its own servlet in its own Jetty and its own pool and
 * listening connection, on one PostgreSQL schema. A text answered by instance A, a lead edit made through A, reach a
 * dashboard stream ({@code GET /api/events/stream}) open on instance B, through real sockets, within a deadline; A's
 * own stream shows each of its changes once (its own announcements are not published again).
 */
class CrossInstanceEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PG = "jdbc:postgresql://" + System.getenv().getOrDefault("FRONTDESK_PG_HOST", "127.0.0.1") + ":"
            + System.getenv().getOrDefault("FRONTDESK_PG_PORT", "5432") + "/test";
    private static final String OTHER_CUSTOMER = "+15557654321";

    private final String schema = "fd_xinst_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void twoInstances() throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "?connectTimeout=3", "postgres", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
        } catch (SQLException e) {
            if ("true".equalsIgnoreCase(System.getenv("FRONTDESK_REQUIRE_POSTGRES"))) {
                throw e;
            }
            Assumptions.abort("PostgreSQL is not reachable at " + PG + " (" + e.getMessage() + ")");
        }
        a = instance();
        b = instance();
        a.frontDesk.start();
        b.frontDesk.start();
    }

    private TestServer instance() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PG + "?currentSchema=" + schema);
        config.setUsername("postgres");
        config.setMaximumPoolSize(4);
        HikariDataSource pool = new HikariDataSource(config);
        open.add(pool);
        PGSimpleDataSource listen = new PGSimpleDataSource();
        listen.setUrl(PG + "?currentSchema=" + schema);
        listen.setUser("postgres");
        JdbcLeadRepository store = JdbcLeadRepository.builder(pool).listenDataSource(listen).build();
        return new TestServer(c -> c, s -> s, "/*", store, 8 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        for (TestServer s : new TestServer[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
        for (AutoCloseable c : open) {
            c.close();
        }
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private SseClient stream(TestServer server) {
        SseClient c = SseClient.open(server.port(), "/api/events/stream", TestServer.API_KEY);
        open.add(c);
        assertThat(c.status).isEqualTo(200);
        c.await(": connected"::equals, WAIT);
        return c;
    }

    /** Reads events until {@code expected} arrives (other changes, such as the reply's, may come first). */
    private static void awaitEvent(SseClient events, String expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String e = events.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            seen.add(e);
            if (e.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("not within " + WAIT + ": " + expected + "; saw " + seen);
    }

    /** The event of the lead's newest inbound text (the fallback reply to it may be stored already, and is an event twice). */
    private static String messageEvent(TestServer server, String phone) {
        long leadId = server.leadJson(phone).get("id").asLong();
        long messageId = 0;
        for (var m : TestServer.json(server.get("/api/leads/" + leadId + "/sms")).get("messages")) {
            if ("inbound".equals(m.get("direction").asText())) {
                messageId = Math.max(messageId, m.get("id").asLong());
            }
        }
        return "message {\"leadId\": " + leadId + ", \"messageId\": " + messageId + "}";
    }

    @Test
    void aTextTakenByInstanceAReachesAStreamOnInstanceB() {
        SseClient onB = stream(b);
        SseClient onA = stream(a);

        // a new number: the general path of several statements
        assertThat(a.text(TestServer.CUSTOMER, "Is anyone there?").statusCode()).isEqualTo(200);
        String inbound = messageEvent(a, TestServer.CUSTOMER);
        awaitEvent(onB, inbound);
        // a returning customer: PostgreSQL's one statement, whose pg_notify carries the ids
        assertThat(a.text(TestServer.CUSTOMER, "Hello again").statusCode()).isEqualTo(200);
        String again = messageEvent(a, TestServer.CUSTOMER);
        awaitEvent(onB, again);
        // by the time B heard a third text, A's listener had A's own announcements of all three: a republished one
        // would be on A's stream
        assertThat(a.text(OTHER_CUSTOMER, "Third text").statusCode()).isEqualTo(200);
        String third = messageEvent(a, OTHER_CUSTOMER);
        awaitEvent(onB, third);
        awaitEvent(onA, third);
        assertThat(onA.seen().stream().filter(l -> l.equals("data: " + inbound.substring("message ".length()))).count())
                .as("A's own change on A's stream, once: %s", onA.seen()).isEqualTo(1);
    }

    @Test
    void aLeadEditMadeThroughInstanceAReachesAStreamOnInstanceB() {
        assertThat(a.text(TestServer.CUSTOMER, "Leaking tap").statusCode()).isEqualTo(200);
        long leadId = a.leadJson(TestServer.CUSTOMER).get("id").asLong();
        SseClient onB = stream(b);

        assertThat(a.patchJson("/api/leads/" + leadId, "{\"qualification\": {\"name\": \"Sam Lee\"}}").statusCode()).isEqualTo(200);

        awaitEvent(onB, "lead {\"leadId\": " + leadId + ", \"messageId\": null}");
    }
}
