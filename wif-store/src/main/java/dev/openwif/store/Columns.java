package dev.openwif.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Reads nullable columns into {@link Optional}s and epoch-millisecond columns into {@link
 * Instant}s.
 */
final class Columns {
  private Columns() {}

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(column));
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  /** The column value for an optional instant: epoch milliseconds or SQL NULL. */
  static @Nullable Long millisOrNull(Optional<Instant> instant) {
    return instant.map(Instant::toEpochMilli).orElse(null);
  }

  static OptionalLong optionalLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /** The column value for an optional number: the number or SQL NULL. */
  static @Nullable Long longOrNull(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }
}
