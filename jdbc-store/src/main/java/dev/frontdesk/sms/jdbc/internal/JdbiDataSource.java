package dev.frontdesk.sms.jdbc.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * A {@link DataSource} that hands out the connections of a {@link Jdbi}, so that Flyway can migrate a
 * store that was built from a {@code Jdbi} rather than a {@code DataSource}. Closing a connection closes
 * the handle it came from (which returns it to wherever the {@code Jdbi} got it).
 */
public final class JdbiDataSource implements DataSource {

    private final Jdbi jdbi;

    public JdbiDataSource(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public Connection getConnection() throws SQLException {
        Handle handle;
        try {
            handle = jdbi.open();
        } catch (JdbiException e) {
            throw new SQLException("Could not open a connection through Jdbi: " + e.getMessage(), "08001", e);
        }
        Connection target = handle.getConnection();
        InvocationHandler ih = (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                handle.close();
                return null;
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, ih);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("Credentials come from the Jdbi's own connection factory");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log writer
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // decided by the Jdbi's connection factory
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("Not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
