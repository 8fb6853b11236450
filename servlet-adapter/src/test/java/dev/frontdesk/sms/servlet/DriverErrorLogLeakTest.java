package dev.frontdesk.sms.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LogCapture;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14, item 8: what a 500 caused by the database logs, and what a refused webhook logs of its URL. The
 * JDBC store runs on H2 and on PostgreSQL, made to fail for real by a constraint added after the migrations,
 * so the driver's own message (H2's {@code VALUES ( '+1555...' )}, PostgreSQL's {@code Key (from_number)=(...)}
 * and {@code Failing row contains (...)}) carries the customer's number and words. The log keeps the exception
 * class and SQL state, and holds neither.
 */
class DriverErrorLogLeakTest {

    private static final String CUSTOMER = "+15551234567";
    private static final String OTHER = "+15557654321";
    private static final String PRIVATE_WORDS = "alarm code is 90210";

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = {"H2", "POSTGRES"})
    void aDriverErrorCarryingACustomerNumberIsLoggedWithItsClassAndSqlStateButNoNumber(StoreKind kind) throws Exception {
        try (StoreKind.Served served = kind.serve(); LogCapture logs = LogCapture.start()) {
            TestServer server = served.server;
            assertThat(server.text(CUSTOMER, "Hi, is anyone there?").statusCode()).isEqualTo(200);

            // A second text from the same number now breaks a unique index: a duplicate key error naming the number.
            execute(served, "CREATE UNIQUE INDEX leak_probe_uq ON messages (from_number)");
            HttpResponse<String> duplicate = server.text(CUSTOMER, "Hi again, my " + PRIVATE_WORDS);
            // A text with these words breaks a check constraint: PostgreSQL quotes the whole row.
            execute(served, "ALTER TABLE messages ADD CONSTRAINT leak_probe_ck CHECK (body NOT LIKE '%leak probe%')");
            HttpResponse<String> check = server.text(OTHER, "leak probe: my " + PRIVATE_WORDS);

            for (HttpResponse<String> r : List.of(duplicate, check)) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
                assertThat(r.body()).contains("internal_error").doesNotContain(CUSTOMER.substring(2), OTHER.substring(2), PRIVATE_WORDS);
            }
            String log = logs.text();
            assertThat(log).as("the 500s were logged").contains("failed unexpectedly");
            assertNoCustomerValues(log);
            assertThat(log).as("with the failure's class and SQL state")
                    .contains("[SQLState 23505", "[SQLState " + (kind == StoreKind.POSTGRES ? "23514" : "23513"));
            assertThat(log).as("the stack trace is kept").contains("at dev.frontdesk.sms.jdbc.");
        }
    }

    @Test
    void aRefusedWebhookLogsItsQueryStringMasked() throws Exception {
        try (TestServer server = new TestServer(); LogCapture logs = LogCapture.start()) {
            String query = "?From=%2B15557654321&n=" + OTHER.substring(1) + "&to=" + CUSTOMER;
            String form = TestServer.form(server.inboundParams(server.nextSid(), CUSTOMER, "hello"));
            assertThat(server.postForm(FrontDeskConfig.INBOUND_PATH + query, form, null).statusCode()).isEqualTo(403);
            assertThat(server.postForm(FrontDeskConfig.INBOUND_PATH + query, form, "bm90IGEgc2lnbmF0dXJl").statusCode()).isEqualTo(403);
            assertThat(server.postForm(FrontDeskConfig.STATUS_PATH + query, "MessageSid=SM1&MessageStatus=sent", "eA==").statusCode())
                    .isEqualTo(403);

            String log = logs.text();
            assertThat(log).as("refusals are logged, the URL's numbers masked")
                    .contains("no X-Twilio-Signature header", "signature does not match", "From=+1555***4321", "n=15557***4321");
            assertNoCustomerValues(log);
            assertThat(log).doesNotContain("%2B15557654321");
        }
    }

    private static void assertNoCustomerValues(String log) {
        for (String number : List.of(CUSTOMER, OTHER)) {
            assertThat(log).as("a full customer number in the log").doesNotContain(number).doesNotContain(number.substring(1))
                    .doesNotContain(number.substring(2));
        }
        assertThat(log).as("the customer's words in the log").doesNotContain(PRIVATE_WORDS);
    }

    private static void execute(StoreKind.Served served, String sql) throws SQLException {
        try (Connection c = served.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
