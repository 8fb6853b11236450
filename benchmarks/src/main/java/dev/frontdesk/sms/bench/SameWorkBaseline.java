package dev.frontdesk.sms.bench;

import com.twilio.security.RequestValidator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The same-work baseline of issue 19: what a careful developer would write by hand for Twilio's inbound-SMS webhook
 * on the same schema, with nothing of the project in it. Per request: the form read by the container, the
 * {@code X-Twilio-Signature} checked with Twilio's own {@link RequestValidator} against the public URL, and in one
 * transaction of plain JDBC the lead updated (or inserted for a number never seen before), the message inserted keyed
 * by its unique MessageSid and the reply job inserted, due after the same 2 s settle time; then the same empty TwiML.
 * A repeated MessageSid changes nothing and is answered 200; a lost race on a new number's lead is run again.
 * What it leaves out, on purpose: keywords (STOP/START/HELP), media, phone-number parsing, logging, waking a worker.
 *
 * <p>Built with {@code storing} false it is the floor at {@link #FLOOR_PATH}: the same form and signature check and the
 * same answer, with no transaction.
 */
final class SameWorkBaseline extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String PATH = "/baseline/same-work";
    static final String FLOOR_PATH = "/baseline/no-database";
    /** As {@code FrontDesk.DEFAULT_REPLY_SETTLE}: a text's reply job is due this long after it arrived. */
    static final Duration REPLY_DELAY = Duration.ofSeconds(2);

    private static final String UPDATE_LEAD = "UPDATE leads SET sms_enabled = TRUE, last_sms_at = ?,"
            + " last_message_direction = 'inbound' WHERE channel = 'sms' AND phone_number = ?";
    private static final String[] LEAD_KEYS = {"id", "sms_opt_out"};
    private static final String INSERT_LEAD = "INSERT INTO leads (phone_number, source, created_at, sms_enabled, last_sms_at,"
            + " sms_opt_out, last_message_direction, channel) VALUES (?, 'sms', ?, TRUE, ?, FALSE, 'inbound', 'sms')";
    private static final String INSERT_MESSAGE = "INSERT INTO messages (lead_id, twilio_sid, direction, from_number, to_number,"
            + " body, status, num_segments, created_at) VALUES (?, ?, 'inbound', ?, ?, ?, 'received', ?, ?)";
    private static final String INSERT_JOB = "INSERT INTO reply_jobs (lead_id, inbound_message_id, done, attempts, run_at,"
            + " created_at, updated_at) VALUES (?, ?, FALSE, 0, ?, ?, ?)";
    private static final String[] ID = {"id"};

    private final transient DataSource pool;
    private final transient RequestValidator validator;
    private final String publicUrl;
    private final boolean storing;

    /**
     * @param publicUrl the URL Twilio signs, i.e. the public base URL plus the path this servlet is mounted at
     * @param storing   false for the floor: everything but the transaction
     */
    SameWorkBaseline(DataSource pool, String authToken, String publicUrl, boolean storing) {
        this.pool = pool;
        this.validator = new RequestValidator(authToken);
        this.publicUrl = publicUrl;
        this.storing = storing;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, String> params = new HashMap<>();
        req.getParameterMap().forEach((k, v) -> params.put(k, v[0]));
        String signature = req.getHeader("X-Twilio-Signature");
        if (signature == null || !validator.validate(publicUrl, params, signature)) {
            resp.sendError(403);
            return;
        }
        String sid = params.get("MessageSid");
        String from = params.get("From");
        if (sid == null || from == null) {
            resp.sendError(400);
            return;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            if (storing) {
                store(params, sid, from, now);
            }
        } catch (SQLException e) {
            resp.sendError(503);
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/xml");
        resp.getOutputStream().write(BenchServer.TWIML.getBytes(StandardCharsets.UTF_8));
    }

    private void store(Map<String, String> p, String sid, String from, Instant now) throws SQLException {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime due = OffsetDateTime.ofInstant(now.plus(REPLY_DELAY), ZoneOffset.UTC);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (int attempt = 1; ; attempt++) {
                    try {
                        storeOnce(c, p, sid, from, at, due);
                        c.commit();
                        return;
                    } catch (SQLException e) {
                        c.rollback();
                        if (!isUniqueViolation(e) || attempt == 5) {
                            throw e;
                        }
                        if (messageExists(c, sid)) {
                            return; // a repeated delivery: nothing to write
                        }
                        // a concurrent first text from the same number won the lead's insert: run again, it updates
                    }
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void storeOnce(Connection c, Map<String, String> p, String sid, String from, OffsetDateTime at,
            OffsetDateTime due) throws SQLException {
        long leadId;
        boolean optedOut;
        try (PreparedStatement ps = c.prepareStatement(UPDATE_LEAD, LEAD_KEYS)) {
            ps.setObject(1, at);
            ps.setString(2, from);
            if (ps.executeUpdate() == 1) {
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    leadId = rs.getLong(1);
                    optedOut = rs.getBoolean(2);
                }
            } else {
                leadId = 0;
                optedOut = false;
            }
        }
        if (leadId == 0) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_LEAD, ID)) {
                ps.setString(1, from);
                ps.setObject(2, at);
                ps.setObject(3, at);
                ps.executeUpdate();
                leadId = key(ps);
            }
        }
        long messageId;
        try (PreparedStatement ps = c.prepareStatement(INSERT_MESSAGE, ID)) {
            ps.setLong(1, leadId);
            ps.setString(2, sid);
            ps.setString(3, from);
            ps.setString(4, p.get("To"));
            ps.setString(5, p.getOrDefault("Body", ""));
            String segments = p.get("NumSegments");
            if (segments == null) {
                ps.setNull(6, java.sql.Types.INTEGER);
            } else {
                ps.setInt(6, Integer.parseInt(segments));
            }
            ps.setObject(7, at);
            ps.executeUpdate();
            messageId = key(ps);
        }
        if (!optedOut) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_JOB)) {
                ps.setLong(1, leadId);
                ps.setLong(2, messageId);
                ps.setObject(3, due);
                ps.setObject(4, at);
                ps.setObject(5, at);
                ps.executeUpdate();
            }
        }
    }

    private static long key(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.getGeneratedKeys()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean messageExists(Connection c, String sid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM messages WHERE twilio_sid = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** SQLState 23505 on PostgreSQL and H2 (H2 also reports its error code 23505). */
    private static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
