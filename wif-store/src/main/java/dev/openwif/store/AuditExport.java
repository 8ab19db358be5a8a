package dev.openwif.store;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams audit rows, oldest first, for export to a SIEM: one row at a time from the database
 * cursor (fetch size {@value #FETCH_SIZE}), never the whole log in memory. Each row is its columns
 * by name, those without a value left out: {@code id}, {@code kind}, {@code type}, {@code
 * occurred_at} (an {@link Instant}), then the columns of its kind ({@code actor}, {@code
 * object_id}, {@code data_json} for an admin change; {@code reason_code}, {@code provider_id}, ...
 * and {@code event_count} for an exchange attempt).
 */
final class AuditExport {
  static final int FETCH_SIZE = 500;

  private final Database db;

  AuditExport(Database db) {
    this.db = db;
  }

  /** Passes each row recorded at or after {@code since} to {@code each}; returns how many. */
  long export(Instant since, Consumer<Map<String, Object>> each) {
    String sql =
        "SELECT "
            + AuditRows.COLUMNS
            + " FROM audit_log WHERE occurred_at >= :since ORDER BY occurred_at, "
            + db.dialect().auditOrderColumn();
    return db.readSnapshot(
        h -> {
          long[] count = {0};
          h.createQuery(sql)
              .bind("since", since.toEpochMilli())
              .setFetchSize(FETCH_SIZE)
              .map((rs, ctx) -> row(rs))
              .useStream(
                  rows ->
                      rows.forEach(
                          row -> {
                            each.accept(row);
                            count[0]++;
                          }));
          return count[0];
        });
  }

  private static Map<String, Object> row(ResultSet rs) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>();
    ResultSetMetaData meta = rs.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String name = meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
      Object value =
          switch (name) {
            case "occurred_at" -> Instant.ofEpochMilli(rs.getLong(i));
            case "event_count" -> rs.getLong(i);
            default -> rs.getString(i);
          };
      if (value != null) {
        row.put(name, value);
      }
    }
    return Collections.unmodifiableMap(row);
  }
}
