package dev.frontdesk.sms.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Binding helpers for plain JDBC, shared by Jdbi arguments ({@link Rows#ts}) and {@link Tx#writeJdbc} work. */
public final class Jdbc {

    private Jdbc() {
    }

    /** Binds an instant to a {@code TIMESTAMP WITH TIME ZONE} parameter: UTC, microseconds (see {@link Rows}). */
    public static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(Rows.stored(instant), ZoneOffset.UTC));
        }
    }

    public static void setNullableInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** The single generated key of a statement prepared with the key column's name. */
    public static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("The database returned no generated key", "02000");
            }
            return keys.getLong(1);
        }
    }
}
