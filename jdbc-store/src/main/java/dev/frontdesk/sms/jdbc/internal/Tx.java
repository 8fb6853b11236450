package dev.frontdesk.sms.jdbc.internal;

import dev.frontdesk.sms.StoreUnavailableException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Runs store operations: each write in one transaction, retried when it lost a race that a fresh attempt
 * resolves (a unique key another transaction committed first, a deadlock, a lock timeout), every
 * failure to reach the database reported as {@link StoreUnavailableException} and every other driver failure
 * as a {@link DriverErrors.StoreFailure}, both with messages safe to log. Thread-safe.
 *
 * <p>Why retry instead of an upsert: {@code INSERT ... ON CONFLICT DO NOTHING} is PostgreSQL-only and
 * {@code MERGE} is not safe against concurrent inserts on PostgreSQL (it raises the unique violation
 * anyway) and differs on H2. A transaction that first looks the key up and inserts only when it is
 * absent, and that is re-run from the start when the insert hits the unique constraint, behaves the same
 * on both: the re-run sees the row the winner committed, so the loser ends up with the winner's row
 * and nothing of its own half-written.
 */
public final class Tx {

    /** Each retry follows a commit by a competing transaction, so a handful always suffices in practice. */
    private static final int MAX_ATTEMPTS = 25;

    /** SQLStates of races a re-run resolves: unique violation, serialization failure, deadlock, lock timeout. */
    private static final Set<String> RETRY_STATES = Set.of("23505", "40001", "40P01", "HYT00");
    /** H2 error codes with the same meaning: lock timeout, concurrent update, deadlock. */
    private static final Set<Integer> H2_RETRY_CODES = Set.of(50200, 90131, 40001);

    /** PostgreSQL states for a server that is shutting down, starting or full. */
    private static final Set<String> DOWN_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    /** H2 error codes for a database that is closed, closing, locked by another process or broken. */
    private static final Set<Integer> H2_DOWN_CODES = Set.of(90067, 90098, 90121, 90020);

    /** The databases whose behaviour some statements depend on. */
    public enum Dialect { POSTGRES, H2, OTHER }

    private final Jdbi jdbi;
    /** Where {@link #jdbc} and {@link #singleStatement} take connections from without a Jdbi handle, or null (then through Jdbi). */
    private final DataSource direct;
    private volatile Dialect dialect;

    public Tx(Jdbi jdbi) {
        this(jdbi, null);
    }

    /**
     * @param direct the data source behind {@code jdbi}, for the plain-JDBC work of the hottest path without a Jdbi
     *               handle; null when the store only has the Jdbi (then that work runs on a Jdbi handle's connection)
     */
    public Tx(Jdbi jdbi, DataSource direct) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.direct = direct;
    }

    /** The database behind the connections, read from the driver's metadata on first use. */
    public Dialect dialect() {
        Dialect d = dialect;
        if (d == null) {
            String product = read(h -> {
                try {
                    return h.getConnection().getMetaData().getDatabaseProductName();
                } catch (SQLException e) {
                    throw new ConnectionException(e);
                }
            });
            d = product == null ? Dialect.OTHER
                    : product.startsWith("PostgreSQL") ? Dialect.POSTGRES
                    : product.startsWith("H2") ? Dialect.H2
                    : Dialect.OTHER;
            dialect = d;
        }
        return d;
    }

    /** Runs {@code work} in one transaction, re-running it from the start after a lost race. */
    public <T> T write(HandleCallback<T, RuntimeException> work) {
        return retrying(() -> jdbi.inTransaction(work));
    }

    private <T> T retrying(java.util.function.Supplier<T> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.get();
            } catch (JdbiException e) {
                if (isUnavailable(e)) {
                    throw unavailable(e);
                }
                if (n >= MAX_ATTEMPTS || !isRetryable(e)) {
                    throw DriverErrors.failure(e);
                }
            }
        }
    }

    /** Work on a connection in plain JDBC, no Jdbi involved. */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * {@link #write} for plain-JDBC work on the webhook's path: one transaction on a connection of the data source
     * itself, without opening a Jdbi handle (whose set-up, transaction handler and clean-up were about 5% of the
     * webhook's CPU on H2 in a JFR profile); through a Jdbi handle when the store was built over a Jdbi alone. Re-run after a lost race and classified exactly as {@link #write}.
     */
    public <T> T jdbc(ConnectionWork<T> work) {
        if (direct == null) {
            return writeJdbc((h, c) -> work.run(c));
        }
        return retrying(() -> inTransaction(work));
    }

    /** {@link #singleStatementJdbc} without a Jdbi handle where {@link #jdbc} has none: one statement in auto-commit. */
    public <T> T singleStatement(ConnectionWork<T> work) {
        if (direct == null) {
            return singleStatementJdbc((h, c) -> work.run(c));
        }
        return retrying(() -> {
            try (Connection c = direct.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                throw new JdbcFailure(e);
            }
        });
    }

    private <T> T inTransaction(ConnectionWork<T> work) {
        try (Connection c = direct.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (autoCommit) {
                c.setAutoCommit(false);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                if (autoCommit) {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new JdbcFailure(e);
        }
    }

    /** Work on the transaction's connection in plain JDBC. */
    @FunctionalInterface
    public interface JdbcWork<T> {
        T run(Handle handle, Connection connection) throws SQLException;
    }

    /**
     * {@link #write} for work done in plain JDBC on the transaction's connection, for the hottest path (the
     * webhook's transaction), where Jdbi's per-statement machinery cost as much CPU as the database itself.
     * Failures are classified exactly as Jdbi's.
     */
    public <T> T writeJdbc(JdbcWork<T> work) {
        return write(h -> call(work, h));
    }

    /**
     * Work of one statement, run in auto-commit: a single statement is a transaction of its own, and the
     * commit travels with it instead of costing the database another round trip. Retried and classified
     * like {@link #write}.
     */
    public <T> T singleStatementJdbc(JdbcWork<T> work) {
        return retrying(() -> jdbi.withHandle(h -> call(work, h)));
    }

    private static <T> T call(JdbcWork<T> work, Handle h) {
        try {
            return work.run(h, h.getConnection());
        } catch (SQLException e) {
            throw new JdbcFailure(e);
        }
    }

    /** A {@link SQLException} from {@link #writeJdbc}, carried as a {@link JdbiException} like Jdbi's own. */
    static final class JdbcFailure extends JdbiException {
        private static final long serialVersionUID = 1L;

        JdbcFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Runs a read on one connection without a transaction of its own. */
    public <T> T read(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (JdbiException e) {
            if (isUnavailable(e)) {
                throw unavailable(e);
            }
            throw DriverErrors.failure(e);
        }
    }

    static StoreUnavailableException unavailable(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // The message is logged and may be shown: the driver's words only as DriverErrors leaves them.
        return new StoreUnavailableException("The database cannot be reached (" + DriverErrors.describe(root) + "); try again later.",
                DriverErrors.redacted(e));
    }

    /** Whether {@code e} says the database could not be reached, rather than that a statement was wrong. */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException
                    || t instanceof SocketException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || DOWN_STATES.contains(state))) {
                    return true;
                }
                if (isH2(s) && H2_DOWN_CODES.contains(s.getErrorCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                if (s.getSQLState() != null && RETRY_STATES.contains(s.getSQLState())) {
                    return true;
                }
                if (isH2(s) && H2_RETRY_CODES.contains(s.getErrorCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** H2's error codes are its own; other drivers may reuse the numbers for something else. */
    private static boolean isH2(SQLException s) {
        return s.getClass().getName().startsWith("org.h2.");
    }
}
