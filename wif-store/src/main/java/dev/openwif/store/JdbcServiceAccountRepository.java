package dev.openwif.store;

import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.ServiceAccountRateLimits;
import dev.openwif.federation.ServiceAccountRepository;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Service accounts in the {@code service_accounts} table; each belongs to an existing project.
 * Thread-safe.
 */
final class JdbcServiceAccountRepository implements ServiceAccountRepository {
  private static final String COLUMNS =
      "id, project_id, name, role, created_at, max_requests_per_1_minute, max_tokens_per_1_minute";
  private static final RowMapper<ServiceAccount> MAPPER =
      (rs, ctx) ->
          new ServiceAccount(
              rs.getString("id"),
              rs.getString("project_id"),
              rs.getString("name"),
              rs.getString("role"),
              Columns.instant(rs, "created_at"),
              new ServiceAccountRateLimits(
                  Columns.optionalLong(rs, "max_requests_per_1_minute"),
                  Columns.optionalLong(rs, "max_tokens_per_1_minute")));

  private final Database db;

  JdbcServiceAccountRepository(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * @throws ReferenceViolationException when the project does not exist
   */
  @Override
  public void insert(ServiceAccount account) {
    db.write(
        "project " + account.projectId() + " does not exist",
        h ->
            h.createUpdate(
                    "INSERT INTO service_accounts (id, project_id, name, role, created_at,"
                        + " max_requests_per_1_minute, max_tokens_per_1_minute) VALUES (:id,"
                        + " :projectId, :name, :role, :createdAt, :maxRequests, :maxTokens)")
                .bind("id", account.id())
                .bind("projectId", account.projectId())
                .bind("name", account.name())
                .bind("role", account.role())
                .bind("createdAt", account.createdAt().toEpochMilli())
                .bind(
                    "maxRequests", Columns.longOrNull(account.rateLimits().maxRequestsPerMinute()))
                .bind("maxTokens", Columns.longOrNull(account.rateLimits().maxTokensPerMinute()))
                .execute());
  }

  @Override
  public boolean update(ServiceAccount account) {
    return db.write(
            "project " + account.projectId() + " does not exist",
            h ->
                h.createUpdate(
                        "UPDATE service_accounts SET project_id = :projectId, name = :name, role = :role,"
                            + " created_at = :createdAt, max_requests_per_1_minute = :maxRequests,"
                            + " max_tokens_per_1_minute = :maxTokens WHERE id = :id")
                    .bind("id", account.id())
                    .bind("projectId", account.projectId())
                    .bind("name", account.name())
                    .bind("role", account.role())
                    .bind("createdAt", account.createdAt().toEpochMilli())
                    .bind(
                        "maxRequests",
                        Columns.longOrNull(account.rateLimits().maxRequestsPerMinute()))
                    .bind(
                        "maxTokens", Columns.longOrNull(account.rateLimits().maxTokensPerMinute()))
                    .execute())
        > 0;
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            h ->
                h.createUpdate("DELETE FROM service_accounts WHERE id = :id")
                    .bind("id", id)
                    .execute())
        > 0;
  }

  @Override
  public Optional<ServiceAccount> find(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM service_accounts WHERE id = :id")
                .bind("id", id)
                .map(MAPPER)
                .findOne());
  }

  @Override
  public Page<ServiceAccount> list(String projectId, PageRequest page) {
    return db.read(
        h ->
            CreationOrderPages.fetch(
                h,
                "service_accounts",
                COLUMNS,
                "project_id = :projectId",
                Map.of("projectId", projectId),
                page,
                MAPPER));
  }

  @Override
  public List<ServiceAccount> listAll() {
    return db.read(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM service_accounts ORDER BY created_at, id")
                .map(MAPPER)
                .list());
  }
}
