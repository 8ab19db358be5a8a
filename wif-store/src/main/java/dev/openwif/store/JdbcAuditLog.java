package dev.openwif.store;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditQuery;
import dev.openwif.federation.AdminValidationException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lists {@code audit_log} newest first: by {@code occurred_at}, then by the order events were
 * recorded in ({@link Dialect#auditOrderColumn()}), filtered by type and by [{@code since}, {@code
 * until}), after the event whose id is the cursor, {@code hasMore} exact. Flushes the sink first,
 * so events recorded before the call are listed. Deletes old events in bounded batches for the
 * retention timer. Thread-safe.
 */
final class JdbcAuditLog implements AuditLog {
  private final Database db;
  private final FlushableAuditSink sink;

  /** Where a page after a given event starts: that event's time and insertion sequence. */
  private record Cursor(long occurredAt, long seq) {}

  JdbcAuditLog(Database db, FlushableAuditSink sink) {
    this.db = Objects.requireNonNull(db, "db");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * One statement on both databases: the rows chosen by a {@code LIMIT}ed subquery on the {@code
   * occurred_at} index, by their recording-order key ({@code seq} on PostgreSQL, {@code rowid} on
   * SQLite).
   */
  @Override
  public int deleteOlderThan(Instant cutoff, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    String seq = db.dialect().auditOrderColumn();
    return db.write(
        h ->
            h.createUpdate(
                    "DELETE FROM audit_log WHERE "
                        + seq
                        + " IN (SELECT "
                        + seq
                        + " FROM audit_log WHERE occurred_at < :cutoff"
                        + " ORDER BY occurred_at LIMIT :limit)")
                .bind("cutoff", cutoff.toEpochMilli())
                .bind("limit", limit)
                .execute());
  }

  /**
   * @throws AdminValidationException naming {@code after} when {@code after} names no event
   */
  @Override
  public Result list(AuditQuery query) {
    sink.flush();
    StringBuilder sql =
        new StringBuilder("SELECT " + AuditRows.COLUMNS + " FROM audit_log WHERE 1 = 1");
    Map<String, Object> binds = new HashMap<>();
    if (!query.types().isEmpty()) {
      sql.append(" AND type IN (<types>)");
    }
    query
        .since()
        .ifPresent(
            s -> {
              sql.append(" AND occurred_at >= :since");
              binds.put("since", s.toEpochMilli());
            });
    query
        .until()
        .ifPresent(
            u -> {
              sql.append(" AND occurred_at < :until");
              binds.put("until", u.toEpochMilli());
            });
    String seq = db.dialect().auditOrderColumn();
    sql.append(
        query.after().isPresent()
            ? " AND (occurred_at < :cursorAt OR (occurred_at = :cursorAt AND "
                + seq
                + " < :cursorSeq))"
            : "");
    sql.append(" ORDER BY occurred_at DESC, ").append(seq).append(" DESC LIMIT :fetch");
    List<AuditEvent> events =
        db.readSnapshot(
            h -> {
              query
                  .after()
                  .ifPresent(
                      id -> {
                        Cursor cursor =
                            h.createQuery(
                                    "SELECT occurred_at, "
                                        + seq
                                        + " AS seq FROM audit_log WHERE id = :id")
                                .bind("id", id)
                                .map(
                                    (rs, ctx) ->
                                        new Cursor(rs.getLong("occurred_at"), rs.getLong("seq")))
                                .findOne()
                                .orElseThrow(
                                    () ->
                                        new AdminValidationException(
                                            "after", "after names no audit event: '" + id + "'."));
                        binds.put("cursorAt", cursor.occurredAt());
                        binds.put("cursorSeq", cursor.seq());
                      });
              var q = h.createQuery(sql.toString()).bindMap(binds).bind("fetch", query.limit() + 1);
              if (!query.types().isEmpty()) {
                q.bindList("types", List.copyOf(query.types()));
              }
              return q.map((rs, ctx) -> AuditRows.map(rs)).list();
            });
    boolean hasMore = events.size() > query.limit();
    return new Result(hasMore ? events.subList(0, query.limit()) : events, hasMore);
  }
}
