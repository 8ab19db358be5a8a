package dev.openwif.store;

import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.ResourceServer;
import dev.openwif.federation.ResourceServerRepository;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Resource servers in {@code resource_servers}: only the SHA-256 of each secret, unique ({@link
 * UniqueViolationException} on column {@code secret_hash}). Thread-safe.
 */
final class JdbcResourceServerRepository implements ResourceServerRepository {
  private static final String COLUMNS = "id, name, secret_hash, display_prefix, created_at";
  private static final RowMapper<ResourceServer> MAPPER =
      (rs, ctx) ->
          new ResourceServer(
              rs.getString("id"),
              rs.getString("name"),
              rs.getString("secret_hash"),
              rs.getString("display_prefix"),
              Columns.instant(rs, "created_at"));

  private final Database db;

  JdbcResourceServerRepository(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void insert(ResourceServer server) {
    db.write(
        h ->
            h.createUpdate(
                    "INSERT INTO resource_servers ("
                        + COLUMNS
                        + ") VALUES (:id, :name, :secretHash, :displayPrefix, :createdAt)")
                .bind("id", server.id())
                .bind("name", server.name())
                .bind("secretHash", server.secretHash())
                .bind("displayPrefix", server.displayPrefix())
                .bind("createdAt", server.createdAt().toEpochMilli())
                .execute());
  }

  @Override
  public Optional<ResourceServer> find(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM resource_servers WHERE id = :id")
                .bind("id", id)
                .map(MAPPER)
                .findOne());
  }

  @Override
  public Page<ResourceServer> list(PageRequest page) {
    return db.read(
        h ->
            CreationOrderPages.fetch(
                h, "resource_servers", COLUMNS, "1 = 1", Map.of(), page, MAPPER));
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            h ->
                h.createUpdate("DELETE FROM resource_servers WHERE id = :id")
                    .bind("id", id)
                    .execute())
        > 0;
  }
}
