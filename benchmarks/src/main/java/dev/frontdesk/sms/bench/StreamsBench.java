package dev.frontdesk.sms.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.frontdesk.sms.ChangeListener;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.StoreChange;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.servlet.FrontDeskServlet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.flywaydb.core.Flyway;

/**
 * The memory of live dashboard streams (issue 19): PostgreSQL seeded as {@link ScaleBench#seed} does, the front
 * desk's servlet in an embedded Jetty in this JVM, and {@code bench.streams} real HTTP clients (plain sockets, one
 * reader thread each, as a browser tab's {@code fetch()} holds the stream) on {@code GET /api/events/stream}. Heap =
 * used after {@code System.gc()} (a full collection with G1), read through {@code MemoryMXBean}, at: the baseline (warmed
 * up: one stream opened and closed, a few texts, no stream open), the streams open, after {@code bench.events} and
 * {@code 10 x bench.events} inbound texts ({@link FrontDesk#receiveInbound}, from seeded leads) fanned out to every
 * stream, and after the clients hang up. Each stream must receive exactly the changes a listener on the front desk
 * counted, or the run fails. The clients live in the same JVM, so the per-stream figure is an upper bound that
 * includes the client's socket, thread object and 512-byte buffer. Workers are not started: each text is one change
 * (its message) and no reply traffic mixes in.
 *
 * <p>Properties: {@code bench.sizes} (1000,300000), {@code bench.streams} (50), {@code bench.events} (1000), {@code bench.pg}
 * (jdbc:postgresql://127.0.0.1:5432/), {@code bench.db} (frontdesk_streams_bench; created and dropped per size),
 * {@code bench.out} (a file for the table).
 */
public final class StreamsBench {

    static final String KEY = "bench-key";
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** One size's heap readings, bytes, and what every stream received. */
    record Row(int leads, int streams, long baseline, long open, int firstEvents, long afterFirst, int moreEvents,
               long afterMore, long closed, long eventsPerStream, long leftOpen) {
        long perStream() {
            return (open - baseline) / streams;
        }
    }

    private final String pg;
    private final String db;
    private final int streams;
    private final int events;

    StreamsBench(String pg, String db, int streams, int events) {
        this.pg = pg;
        this.db = db;
        this.streams = streams;
        this.events = events;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : System.getProperty("bench.sizes", "1000,300000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        StreamsBench bench = new StreamsBench(System.getProperty("bench.pg", "jdbc:postgresql://127.0.0.1:5432/"),
                System.getProperty("bench.db", "frontdesk_streams_bench"), Integer.getInteger("bench.streams", 50),
                Integer.getInteger("bench.events", 1000));
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) {
            rows.add(bench.measure(n));
            log(table(rows.subList(rows.size() - 1, rows.size()))); // kept in the log should a later size fail
        }
        String table = table(rows);
        System.out.println(table);
        String out = System.getProperty("bench.out");
        if (out != null) {
            Files.writeString(Path.of(out), table);
        }
    }

    Row measure(int leads) throws Exception {
        log("size " + leads + ": seeding");
        admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        admin("CREATE DATABASE " + db);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("streams-db");
        hc.setJdbcUrl(pg + db + "?user=postgres");
        hc.setMaximumPoolSize(10);
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            Flyway.configure().dataSource(pool).locations(JdbcLeadRepository.MIGRATIONS_LOCATION)
                    .table(JdbcLeadRepository.SCHEMA_HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0")
                    .target("8").load().migrate();
            ScaleBench.seed(pool, leads, Instant.now());
            return serve(JdbcLeadRepository.create(pool), leads);
        } finally {
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private Row serve(JdbcLeadRepository repository, int leads) throws Exception {
        FrontDeskConfig config = FrontDeskConfig.builder().publicBaseUrl("http://localhost:0").twilioTestMode(false)
                .businessName("Bench Plumbing").build();
        SmsGateway twilio = new SmsGateway() {
            @Override
            public SendResult send(dev.frontdesk.sms.OutboundSms sms) {
                throw new IllegalStateException("no reply is sent: the workers are not started");
            }

            @Override
            public boolean isVerified(PhoneNumber number) {
                return true;
            }
        };
        Server server = BenchServer.jetty(0);
        List<SseReader> clients = new ArrayList<>();
        try (FrontDesk frontDesk = FrontDesk.builder().config(config).repository(repository).gateway(twilio)
                .replyGenerator(request -> "unused").build()) {
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            FrontDeskServlet servlet = FrontDeskServlet.builder(frontDesk).apiKey(KEY).publicBaseUrl("http://localhost:" + port)
                    .signingToken("streams-token").maxEventStreams(Math.max(streams + 1, 200))
                    .eventHeartbeat(Duration.ofSeconds(1)).build();
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder("frontdesk-api", servlet), "/");
            server.setHandler(context);
            server.start();
            AtomicLong changes = new AtomicLong();
            AutoCloseable counting = frontDesk.onChange(new ChangeListener() {
                @Override
                public void onChange(StoreChange change) {
                    changes.incrementAndGet();
                }

                @Override
                public void onClosed() {
                }
            });
            Texts texts = new Texts(frontDesk, leads);

            // warm-up: the code paths of a stream and a text are loaded and their lazy state made
            try (SseReader warm = SseReader.open(port, KEY)) {
                await(warm::connected, "the warm-up stream connects");
                texts.send(20);
                await(() -> warm.events() == changes.get(), "the warm-up stream receives its events");
            }
            await(() -> servlet.handler().openEventStreams() == 0, "the warm-up stream is closed on the server");
            long baseline = usedHeap();
            log(String.format(Locale.ROOT, "size %d: baseline %,d bytes", leads, baseline));

            for (int i = 0; i < streams; i++) {
                clients.add(SseReader.open(port, KEY));
            }
            await(() -> clients.stream().allMatch(SseReader::connected), "every stream connects");
            await(() -> servlet.handler().openEventStreams() == streams, "the server holds every stream");
            long open = usedHeap();
            log(String.format(Locale.ROOT, "size %d: %d streams open %,d bytes", leads, streams, open));

            long start = changes.get();
            texts.send(events);
            long afterFirstCount = changes.get() - start;
            awaitAll(clients, afterFirstCount, changes);
            long afterFirst = usedHeap();
            log(String.format(Locale.ROOT, "size %d: after %d events %,d bytes", leads, afterFirstCount, afterFirst));

            texts.send(events * 9);
            long total = changes.get() - start;
            awaitAll(clients, total, changes);
            long afterMore = usedHeap();
            log(String.format(Locale.ROOT, "size %d: after %d events %,d bytes", leads, total, afterMore));

            for (SseReader c : clients) {
                c.close();
            }
            await(() -> servlet.handler().openEventStreams() == 0, "the server lets go of every closed stream");
            long closed = usedHeap();
            counting.close();
            return new Row(leads, streams, baseline, open, (int) afterFirstCount, afterFirst, (int) total, afterMore, closed,
                    total, servlet.handler().openEventStreams());
        } finally {
            for (SseReader c : clients) {
                c.close();
            }
            server.stop();
        }
    }

    /** Every stream has received exactly the changes counted since it opened (and nothing was ended for lag). */
    private static void awaitAll(List<SseReader> clients, long expected, AtomicLong changes) throws InterruptedException {
        await(() -> clients.stream().allMatch(c -> c.events() >= expected || c.ended()), "every stream receives " + expected + " events");
        for (SseReader c : clients) {
            if (c.events() != expected || c.ended()) {
                throw new IllegalStateException("a stream received " + c.events() + " events of " + expected
                        + (c.ended() ? " and was ended" : "") + " (changes counted: " + changes.get() + ")");
            }
        }
    }

    /** Inbound texts from seeded leads' numbers (or new numbers when nothing is seeded), each with a fresh MessageSid. */
    static final class Texts {
        private final FrontDesk frontDesk;
        private final int leads;
        private long next;

        Texts(FrontDesk frontDesk, int leads) {
            this.frontDesk = frontDesk;
            this.leads = leads;
        }

        void send(int count) {
            for (int i = 0; i < count; i++) {
                long n = next++;
                long lead = leads == 0 ? 1 + n % 1000 : 1 + (n * 7919) % leads;
                String sid = "SM" + String.format("%032x", 0x5eed0000_0000L + n);
                frontDesk.receiveInbound(new InboundSms(sid, "AC" + "0".repeat(32), null,
                        new PhoneNumber("+1554" + String.format("%07d", lead)), "+15559876543", "Is tomorrow possible?", 1,
                        List.of(), null, Map.of()));
            }
        }
    }

    /** Used heap after a full collection, the lowest of three readings (a late finalizer or reference can lag one). */
    static long usedHeap() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + WAIT + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * One dashboard stream: {@code GET /api/events/stream} on a plain socket and a thread that counts the lines
     * starting with {@code event: } (chunk sizes sit on lines of their own, so no decoding is needed).
     */
    static final class SseReader implements AutoCloseable {
        private static final byte[] EVENT = "\nevent: ".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CONNECTED = "\n: connected".getBytes(StandardCharsets.US_ASCII);
        private final Socket socket;
        private final AtomicLong events = new AtomicLong();
        private volatile boolean connected;
        private volatile boolean ended;

        private SseReader(int port, String key) throws IOException {
            socket = new Socket("127.0.0.1", port);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/events/stream HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static SseReader open(int port, String key) throws IOException {
            return new SseReader(port, key);
        }

        private void read() {
            byte[] buffer = new byte[512];
            int event = 0;
            int hello = 0;
            try (InputStream in = socket.getInputStream()) {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        event = b == EVENT[event] ? event + 1 : b == '\n' ? 1 : 0;
                        if (event == EVENT.length) {
                            events.incrementAndGet();
                            event = 0;
                        }
                        hello = b == CONNECTED[hello] ? hello + 1 : b == '\n' ? 1 : 0;
                        if (hello == CONNECTED.length) {
                            connected = true;
                            hello = 0;
                        }
                    }
                }
            } catch (IOException e) {
                // closed
            }
            ended = true;
        }

        boolean connected() {
            return connected;
        }

        boolean ended() {
            return ended;
        }

        long events() {
            return events.get();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** The Markdown table: one row per size. */
    static String table(List<Row> rows) {
        StringBuilder t = new StringBuilder();
        t.append("| leads | baseline (no stream) | streams open | per stream | after events (each stream got) "
                + "| after 10x the events | streams closed |\n");
        t.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            t.append(String.format(Locale.ROOT, "| %,d | %s | %d: %s (%s) | %,d B | %,d: %s (%s) | %,d: %s (%s) | %s (%s) |\n",
                    r.leads(), mib(r.baseline()), r.streams(), mib(r.open()), delta(r.open() - r.baseline()), r.perStream(),
                    r.firstEvents(), mib(r.afterFirst()), delta(r.afterFirst() - r.baseline()),
                    r.moreEvents(), mib(r.afterMore()), delta(r.afterMore() - r.baseline()),
                    mib(r.closed()), delta(r.closed() - r.baseline())));
        }
        return t.toString();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String delta(long bytes) {
        return String.format(Locale.ROOT, "%+,d KiB", Math.round(bytes / 1024.0));
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg + "postgres?user=postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void log(String line) {
        System.err.println("[streams] " + line);
    }
}
