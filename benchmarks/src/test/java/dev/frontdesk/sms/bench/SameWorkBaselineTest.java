package dev.frontdesk.sms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same-work baseline cannot silently do less than the webhook: the same texts, sent once through FrontDesk's
 * webhook and once through {@link SameWorkBaseline}, each into a bench server of its own (real Jetty, HikariCP, H2,
 * the store's schema, no reply worker), leave the same rows in every table the webhook writes; and both refuse a
 * text whose signature does not match.
 */
class SameWorkBaselineTest {
    private static final String TOKEN = "same-work-test-token";
    private static final String WEBHOOK = "/api/twilio/sms/inbound";
    private static BenchServer.Running app;
    private static BenchServer.Running base;

    @BeforeAll
    static void start() throws Exception {
        app = BenchServer.start(0, "jdbc:h2:mem:samework_app;DB_CLOSE_DELAY=-1", TOKEN, 0, 0, 0);
        base = BenchServer.start(0, "jdbc:h2:mem:samework_base;DB_CLOSE_DELAY=-1", TOKEN, 0, 0, 0);
    }

    @AfterAll
    static void stop() {
        app.close();
        base.close();
    }

    /** (MessageSid, From, Body): two new numbers, a returning one, and a repeated delivery. */
    private static final List<String[]> TEXTS = List.of(
            new String[] {sid(1), "+15551230001", "Hi, is anyone there?"},
            new String[] {sid(2), "+15551230002", "My sink leaks."},
            new String[] {sid(3), "+15551230001", "Can you come today?"},
            new String[] {sid(3), "+15551230001", "Can you come today?"},
            new String[] {sid(4), "+15551230002", "Thanks!"});

    @Test
    void bothWriteTheSameRowsForTheSameTexts() throws Exception {
        for (String[] t : TEXTS) {
            assertThat(send(app, WEBHOOK, t[0], t[1], t[2], TOKEN)).as("FrontDesk, %s", t[0]).isEqualTo(200);
            assertThat(send(base, SameWorkBaseline.PATH, t[0], t[1], t[2], TOKEN)).as("baseline, %s", t[0]).isEqualTo(200);
        }
        List<Map<String, Object>> appRows = rows(app);
        assertThat(appRows).as("rows FrontDesk wrote").hasSize(2 + 4 + 4);
        assertThat(rows(base)).isEqualTo(appRows);
    }

    @Test
    void bothRefuseATextWithAWrongSignature() throws Exception {
        List<Map<String, Object>> before = rows(base);
        assertThat(send(app, WEBHOOK, sid(9), "+15551230009", "Hello", "not-the-token")).isEqualTo(403);
        assertThat(send(base, SameWorkBaseline.PATH, sid(9), "+15551230009", "Hello", "not-the-token")).isEqualTo(403);
        assertThat(rows(base)).isEqualTo(before);
    }

    private static String sid(int n) {
        return String.format("SM%032x", n);
    }

    private static int send(BenchServer.Running server, String path, String sid, String from, String body, String token)
            throws Exception {
        LoadGen.Conn conn = new LoadGen.Conn(server.port());
        try {
            return conn.exchange(LoadGen.request(server.port(), path, token, sid, from, body));
        } finally {
            conn.close();
        }
    }

    /**
     * Every row of the tables an inbound text may write, except the bench's own lead, with ids replaced by what they point
     * to (a lead by its number, a message by its MessageSid) and each time by whether it is set, except what the two
     * must agree on: a lead's last text is its newest message, a reply job is due 2 s after its text.
     */
    private static List<Map<String, Object>> rows(BenchServer.Running server) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = server.pool().getConnection(); Statement s = c.createStatement()) {
            read(s, out, "leads", "SELECT l.*, (l.last_sms_at = (SELECT MAX(created_at) FROM messages m WHERE m.lead_id = l.id))"
                    + " AS last_sms_at_is_newest_text FROM leads l WHERE phone_number <> '+15550000000' ORDER BY phone_number");
            read(s, out, "messages", "SELECT m.*, l.phone_number AS lead FROM messages m JOIN leads l ON l.id = m.lead_id"
                    + " ORDER BY m.twilio_sid");
            read(s, out, "reply_jobs", "SELECT j.*, l.phone_number AS lead, m.twilio_sid AS for_sid,"
                    + " (j.run_at = m.created_at + INTERVAL '2' SECOND) AS due_after_settle, (j.created_at = m.created_at) AS created_with_text"
                    + " FROM reply_jobs j JOIN leads l ON l.id = j.lead_id JOIN messages m ON m.id = j.inbound_message_id ORDER BY m.twilio_sid");
            read(s, out, "message_media", "SELECT * FROM message_media");
            read(s, out, "lead_events", "SELECT * FROM lead_events");
            read(s, out, "other_sender_messages", "SELECT * FROM other_sender_messages");
        }
        return out;
    }

    private static void read(Statement s, List<Map<String, Object>> out, String table, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new TreeMap<>();
                row.put("table", table);
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String name = md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                    Object v = rs.getObject(i);
                    if (name.equals("id") || name.endsWith("_id")) {
                        v = v == null ? null : "(id)";
                    } else if (name.endsWith("_at") || name.equals("lease_until")) {
                        v = v == null ? null : "(set)";
                    }
                    row.put(name, v);
                }
                out.add(row);
            }
        }
    }
}
