package dev.frontdesk.sms.jdbc.internal;

import dev.frontdesk.sms.internal.LogSafe;
import java.sql.SQLException;

/**
 * The store's own driver errors as they may be logged, stored or shown: each exception's class, for a
 * {@link SQLException} its SQL state and vendor code, and its message with the values a driver or Jdbi
 * quotes (bound arguments, key values, the failing row, literals) removed and phone numbers masked. Every
 * failure that leaves the store goes through here, so no caller ever holds a driver message with a
 * customer's number or words in it. Stateless.
 */
public final class DriverErrors {
    private DriverErrors() {
    }

    /** What is safe to say of {@code e} besides its class: the SQL state and vendor code of a {@link SQLException}. */
    static String detail(Throwable e) {
        return e instanceof SQLException sql
                ? " [SQLState " + sql.getSQLState() + ", code " + sql.getErrorCode() + "]"
                : "";
    }

    /** One line for a log or a stored error: class, SQL state, message without quoted values. */
    public static String describe(Throwable e) {
        return LogSafe.error(e, DriverErrors::detail);
    }

    /** {@code e} and its causes with their stack traces, each message made safe as {@link #describe} does. */
    public static Throwable redacted(Throwable e) {
        return LogSafe.exception(e, DriverErrors::detail);
    }

    /** A failed statement as it leaves the store: a {@link StoreFailure} saying what the driver said, safely. */
    static StoreFailure failure(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new StoreFailure("A database statement failed (" + describe(root) + ").", redacted(e));
    }

    /**
     * A statement the database refused for a reason other than being unreachable (a constraint, a bad
     * statement). Its message and causes are safe to log; the original driver exception is not kept.
     */
    public static final class StoreFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
