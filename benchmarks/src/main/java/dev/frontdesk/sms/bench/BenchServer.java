package dev.frontdesk.sms.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.servlet.FrontDeskServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server under test, in its own JVM: one Jetty (the example app's thread pool and connector settings)
 * and one HikariCP pool (the example app's size) serving both
 * <ul>
 *   <li>{@code /api/...}: the real {@link FrontDeskServlet} over {@link JdbcLeadRepository}, and</li>
 *   <li>{@code /baseline}: a bare servlet that reads the same form, inserts one message row with plain JDBC
 *       in auto-commit, and answers 200 with the same empty TwiML;</li>
 *   <li>{@code /baseline/same-work}: {@link SameWorkBaseline}, the same work as the webhook (Twilio's signature
 *       check, lead update or insert, message, reply job, one transaction) in tight plain JDBC;</li>
 *   <li>{@code /baseline/no-database}: the floor, {@link SameWorkBaseline} without its transaction (form, signature,
 *       TwiML): what the machine, Jetty and the load generator alone give a request at a rate.</li>
 * </ul>
 * The reply side uses in-process mocks: an AI that answers after a fixed latency and an SMS gateway that
 * answers after a fixed latency. {@code GET /bench/events} hands over (and forgets) the instants at which
 * the AI was called and the send returned, keyed by the inbound MessageSid.
 *
 * <p>Usage: {@code BenchServer <port> <jdbcUrl> <signingToken> <workers> <aiMillis> <twilioMillis>}; prints
 * {@code READY <port>} when it listens.
 */
public final class BenchServer {

    static final String TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Running running = start(Integer.parseInt(args[0]), args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]),
                Long.parseLong(args[5]));
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        System.out.println("READY " + running.port());
        System.out.flush();
        running.server().join();
    }

    /** A started bench server; {@link #close()} stops Jetty, the front desk and the pool. */
    record Running(Server server, int port, FrontDesk frontDesk, HikariDataSource pool) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.stop();
            } catch (Exception ignored) {
                // stopping anyway
            }
            frontDesk.close();
            pool.close();
        }
    }

    /**
     * Starts the server on {@code port} (0: any free port) over {@code jdbcUrl}; with {@code workers} 0 no reply worker
     * runs (jobs stay queued as written, for the smoke test that compares rows).
     */
    static Running start(int port, String jdbcUrl, String token, int workers, long aiMillis, long twilioMillis) throws Exception {
        Server server = jetty(port);
        port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();

        HikariConfig hc = new HikariConfig();
        hc.setPoolName("frontdesk-db");
        hc.setJdbcUrl(jdbcUrl);
        hc.setMaximumPoolSize(10);
        hc.setConnectionTimeout(10_000);
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            hc.addDataSourceProperty("QUERY_CACHE_SIZE", "64"); // as the example app sets it
        }
        HikariDataSource pool = new HikariDataSource(hc);

        FrontDeskConfig config = FrontDeskConfig.builder()
                .publicBaseUrl("http://localhost:" + port)
                .twilioTestMode(false)
                // the abuse caps would turn a benchmark's thousands of replies into silence or fallbacks
                .aiRepliesPerLeadPerHour(Integer.MAX_VALUE)
                .aiRepliesPerHour(Integer.MAX_VALUE)
                .businessName("Bench Plumbing")
                .build();
        Events events = new Events();
        ReplyGenerator ai = request -> {
            events.aiStarted(lastInboundSid(request.conversation()));
            sleep(aiMillis);
            return "Thanks, a plumber can come by tomorrow morning. What is your address?";
        };
        AtomicLong sids = new AtomicLong();
        // Twilio-shaped outbound SIDs (SM and 32 hex digits): 8 random hex digits, then a 24-digit counter.
        String sidPrefix = "SM" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        SmsGateway twilio = new SmsGateway() {
            @Override
            public SendResult send(dev.frontdesk.sms.OutboundSms sms) {
                sleep(twilioMillis);
                events.lines.add("sent - " + Events.micros(Instant.now()));
                return new SendResult(sidPrefix + String.format("%024x", sids.incrementAndGet()), MessageStatus.QUEUED, 1, sms.from());
            }

            @Override
            public boolean isVerified(PhoneNumber number) {
                return true;
            }
        };
        JdbcLeadRepository repository = JdbcLeadRepository.create(pool);
        FrontDesk frontDesk = FrontDesk.builder().config(config).repository(repository).gateway(twilio).replyGenerator(ai)
                .workers(Math.max(1, workers)).lease(Duration.ofSeconds(30)).build();
        events.frontDesk = frontDesk;
        long baselineLead = baselineLead(pool);

        ServletContextHandler context = new ServletContextHandler("/");
        context.setMaxFormContentSize(64 * 1024);
        context.addServlet(new ServletHolder("frontdesk-api", FrontDeskServlet.builder(frontDesk)
                .apiKey("bench-key").publicBaseUrl(config.twilio().publicBaseUrl()).signingToken(token).build()), "/");
        context.addServlet(new ServletHolder("baseline", new Baseline(pool, baselineLead)), "/baseline");
        context.addServlet(new ServletHolder("same-work", new SameWorkBaseline(pool, token,
                config.twilio().publicBaseUrl() + SameWorkBaseline.PATH, true)), SameWorkBaseline.PATH);
        context.addServlet(new ServletHolder("no-database", new SameWorkBaseline(pool, token,
                config.twilio().publicBaseUrl() + SameWorkBaseline.FLOOR_PATH, false)), SameWorkBaseline.FLOOR_PATH);
        context.addServlet(new ServletHolder("events", new EventsServlet(events)), "/bench/events");
        server.setHandler(context);

        if (workers > 0) {
            frontDesk.start();
        }
        server.start();
        return new Running(server, port, frontDesk, pool);
    }

    /** A Jetty with the example app's thread pool and connector settings, listening on {@code port} (0: any free port). */
    static Server jetty(int port) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(16 * 1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        connector.open();
        server.addConnector(connector);
        return server;
    }

    private static String lastInboundSid(List<Message> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            Message m = conversation.get(i);
            if (m.direction() == Direction.INBOUND) {
                return m.twilioSid();
            }
        }
        return "?";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** The lead every baseline row belongs to (the messages table requires one). */
    private static long baselineLead(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection();
             PreparedStatement find = c.prepareStatement("SELECT id FROM leads WHERE phone_number = '+15550000000'")) {
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO leads (phone_number, source, created_at)"
                    + " VALUES ('+15550000000', 'baseline', CURRENT_TIMESTAMP)", Statement.RETURN_GENERATED_KEYS)) {
                insert.executeUpdate();
                try (ResultSet rs = insert.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    /** Reads the form, inserts one message row with plain JDBC (auto-commit), answers 200 with empty TwiML. */
    static final class Baseline extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient HikariDataSource pool;
        private final long leadId;

        Baseline(HikariDataSource pool, long leadId) {
            this.pool = pool;
            this.leadId = leadId;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String sid = req.getParameter("MessageSid");
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO messages (lead_id, twilio_sid, direction, from_number,"
                         + " to_number, body, status, num_segments, created_at) VALUES (?, ?, 'inbound', ?, ?, ?, 'received', 1, ?)")) {
                ps.setLong(1, leadId);
                ps.setString(2, sid);
                ps.setString(3, req.getParameter("From"));
                ps.setString(4, req.getParameter("To"));
                ps.setString(5, req.getParameter("Body"));
                ps.setTimestamp(6, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            } catch (SQLException e) {
                resp.sendError(503);
                return;
            }
            resp.setStatus(200);
            resp.setContentType("text/xml");
            resp.getOutputStream().write(TWIML.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** When the AI was called and when the send returned, per inbound MessageSid (epoch microseconds). */
    static final class Events {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        volatile FrontDesk frontDesk;

        void aiStarted(String sid) {
            lines.add("ai " + sid + " " + micros(Instant.now()));
        }

        static long micros(Instant t) {
            return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
        }
    }

    static final class EventsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Events events;

        EventsServlet(Events events) {
            this.events = events;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            StringBuilder out = new StringBuilder();
            out.append("pending ").append(events.frontDesk.pendingReplies()).append('\n');
            String line;
            while ((line = events.lines.poll()) != null) {
                out.append(line).append('\n');
            }
            resp.setContentType("text/plain");
            resp.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
