package dev.frontdesk.sms.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DriverErrorsTest {

    @Test
    void driverErrorsKeepTheirClassAndSqlStateButNoValues() {
        SQLException pg = new SQLException("ERROR: duplicate key value violates unique constraint \"leads_phone_number_uq\"\n"
                + "  Detail: Key (phone_number)=(+15551234567) already exists.", "23505", 0);
        assertThat(DriverErrors.describe(pg)).startsWith("SQLException [SQLState 23505, code 0]: ERROR: duplicate key value")
                .contains("leads_phone_number_uq", "Key (phone_number)=(…)").doesNotContain("5551234567");
        SQLException notNull = new SQLException("ERROR: new row for relation \"messages\" violates check constraint \"ck\"\n"
                + "  Detail: Failing row contains (7, 3, SM1, inbound, 5551234567, +15550001111, my gate code is 4812, received).", "23514");
        assertThat(DriverErrors.describe(notNull)).contains("23514", "Failing row contains (…)").doesNotContain("gate code", "5551234567");
        SQLException h2 = new SQLException("Unique index or primary key violation: \"PUBLIC.LEAK ON PUBLIC.MESSAGES(FROM_NUMBER NULLS FIRST)"
                + " VALUES ( /* 1 */ '+15551234567' )\"; SQL statement:\nINSERT INTO messages VALUES (?, ?) [23505-224]", "23505", 23505);
        assertThat(DriverErrors.describe(h2)).contains("23505", "INSERT INTO messages").doesNotContain("5551234567");
        RuntimeException jdbi = new RuntimeException("org.h2.jdbc.JdbcSQLDataException: Value too long for column "
                + "\"BODY\": \"'my gate code is 4812' (20)\" [statement:\"INSERT INTO messages (body) VALUES (:body)\", "
                + "arguments:{positional:{0:+15551234567,1:my gate code is 4812}, named:{body:my gate code is 4812}, finder:[]}]", h2);
        assertThat(DriverErrors.describe(jdbi)).contains("arguments:{…}", "INSERT INTO messages").doesNotContain("gate code", "5551234567");
    }

    @Test
    void aFailedStatementLeavesTheStoreWithItsSqlStateAndStackButNoValue() {
        SQLException driver = new SQLException("Detail: Key (phone_number)=(+15551234567) already exists.", "23505");
        IllegalStateException e = new IllegalStateException("insert of 'my gate code is 4812' for +15551234567 failed", driver);
        DriverErrors.StoreFailure failure = DriverErrors.failure(e);
        StringWriter printed = new StringWriter();
        failure.printStackTrace(new PrintWriter(printed));
        assertThat(failure.getMessage()).startsWith("A database statement failed (SQLException [SQLState 23505, code 0]: ");
        assertThat(printed.toString()).contains("java.lang.IllegalStateException: insert of '…' for +1555***4567 failed",
                "Caused by: java.sql.SQLException [SQLState 23505", "aFailedStatementLeavesTheStoreWithItsSqlStateAndStackButNoValue")
                .doesNotContain("5551234567", "gate code");
        assertThat(failure.getCause().getStackTrace()).isEqualTo(e.getStackTrace());
    }
}
