package dev.openwif.store;

import dev.openwif.usage.UsageCounts;
import dev.openwif.usage.UsageDimension;
import dev.openwif.usage.UsageKey;
import dev.openwif.usage.UsageQuery;
import dev.openwif.usage.UsageRepository;
import dev.openwif.usage.UsageTotal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * Usage counts in the {@code gateway_usage} table, one row per minute and key. {@link #add} adds a
 * batch in one transaction with {@code INSERT … ON CONFLICT … DO UPDATE} (the same SQL on SQLite
 * and PostgreSQL), so several servers sharing a database add up; {@link #totals} sums in SQL.
 * Thread-safe.
 */
final class JdbcUsageRepository implements UsageRepository {
  private static final String UPSERT =
      "INSERT INTO gateway_usage (minute_start, project_id, service_account_id, provider_id, model,"
          + " status_class, requests, input_tokens, output_tokens) VALUES (:minute, :project,"
          + " :account, :provider, :model, :status, :requests, :input, :output) ON CONFLICT"
          + " (minute_start, project_id, service_account_id, provider_id, model, status_class) DO"
          + " UPDATE SET requests = gateway_usage.requests + excluded.requests, input_tokens ="
          + " gateway_usage.input_tokens + excluded.input_tokens, output_tokens ="
          + " gateway_usage.output_tokens + excluded.output_tokens";

  private final Database db;

  JdbcUsageRepository(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void add(Map<UsageKey, UsageCounts> batch) {
    if (batch.isEmpty()) {
      return;
    }
    db.write(
        h -> {
          PreparedBatch insert = h.prepareBatch(UPSERT);
          batch.forEach(
              (key, counts) ->
                  insert
                      .bind("minute", key.minute().toEpochMilli())
                      .bind("project", key.projectId())
                      .bind("account", key.serviceAccountId())
                      .bind("provider", key.providerId())
                      .bind("model", key.model())
                      .bind("status", key.statusClass())
                      .bind("requests", counts.requests())
                      .bind("input", counts.inputTokens())
                      .bind("output", counts.outputTokens())
                      .add());
          insert.execute();
          return null;
        });
  }

  @Override
  public List<UsageTotal> totals(UsageQuery query) {
    List<UsageDimension> groups = new ArrayList<>(query.groupBy());
    groups.sort(null);
    // the bucket is computed once, in a derived table: PostgreSQL would see two :width
    // parameters in SELECT and GROUP BY as two different expressions
    StringBuilder columns = new StringBuilder("bucket");
    for (UsageDimension d : groups) {
      columns.append(", ").append(column(d));
    }
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(columns)
            .append(
                ", SUM(requests) AS requests, SUM(input_tokens) AS input_tokens,"
                    + " SUM(output_tokens) AS output_tokens FROM (SELECT (minute_start / :width) *"
                    + " :width AS bucket, project_id, service_account_id, provider_id, model,"
                    + " status_class, requests, input_tokens, output_tokens FROM gateway_usage"
                    + " WHERE minute_start >= :start AND minute_start < :end");
    List<UsageDimension> filtered = new ArrayList<>(query.filters().keySet());
    filtered.sort(null);
    for (UsageDimension d : filtered) {
      sql.append(" AND ").append(column(d)).append(" IN (<f_").append(column(d)).append(">)");
    }
    sql.append(") u GROUP BY ").append(columns).append(" ORDER BY ").append(columns);
    return db.read(
        h -> {
          Query q =
              h.createQuery(sql.toString())
                  .bind("width", query.bucketWidth().toMillis())
                  .bind("start", query.start().toEpochMilli())
                  .bind("end", query.end().toEpochMilli());
          for (UsageDimension d : filtered) {
            q.bindList("f_" + column(d), List.copyOf(query.filters().get(d)));
          }
          return q.map(
                  (rs, ctx) -> {
                    Map<UsageDimension, String> values = new EnumMap<>(UsageDimension.class);
                    for (UsageDimension d : groups) {
                      values.put(d, rs.getString(column(d)));
                    }
                    return new UsageTotal(
                        Instant.ofEpochMilli(rs.getLong("bucket")),
                        values,
                        new UsageCounts(
                            rs.getLong("requests"),
                            rs.getLong("input_tokens"),
                            rs.getLong("output_tokens")));
                  })
              .list();
        });
  }

  private static String column(UsageDimension dimension) {
    return switch (dimension) {
      case PROJECT -> "project_id";
      case SERVICE_ACCOUNT -> "service_account_id";
      case PROVIDER -> "provider_id";
      case MODEL -> "model";
      case STATUS_CLASS -> "status_class";
    };
  }
}
