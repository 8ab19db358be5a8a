package dev.openwif.store;

import dev.openwif.federation.AdminKey;
import dev.openwif.federation.AdminKeyRepository;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Admin keys in {@code admin_keys}: only the SHA-256 of each secret, unique ({@link
 * UniqueViolationException} on column {@code secret_hash}). Thread-safe.
 */
final class JdbcAdminKeyRepository implements AdminKeyRepository {
  private static final String COLUMNS =
      "id, name, secret_hash, display_prefix, created_at, revoked_at";
  private static final RowMapper<AdminKey> MAPPER =
      (rs, ctx) ->
          new AdminKey(
              rs.getString("id"),
              rs.getString("name"),
              rs.getString("secret_hash"),
              rs.getString("display_prefix"),
              Columns.instant(rs, "created_at"),
              Columns.optionalInstant(rs, "revoked_at"));

  private final Database db;

  JdbcAdminKeyRepository(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void insert(AdminKey key) {
    db.write(
        h ->
            h.createUpdate(
                    "INSERT INTO admin_keys ("
                        + COLUMNS
                        + ") VALUES (:id, :name, :secretHash,"
                        + " :displayPrefix, :createdAt, :revokedAt)")
                .bind("id", key.id())
                .bind("name", key.name())
                .bind("secretHash", key.secretHash())
                .bind("displayPrefix", key.displayPrefix())
                .bind("createdAt", key.createdAt().toEpochMilli())
                .bind("revokedAt", Columns.millisOrNull(key.revokedAt()))
                .execute());
  }

  /** Every key, revoked ones included, oldest first (ties broken by id). */
  @Override
  public List<AdminKey> listAll() {
    return db.read(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM admin_keys ORDER BY created_at, id")
                .map(MAPPER)
                .list());
  }

  /** The key with this hash, active or revoked: callers check {@link AdminKey#active()}. */
  @Override
  public Optional<AdminKey> findBySecretHash(String secretHash) {
    return db.read(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM admin_keys WHERE secret_hash = :hash")
                .bind("hash", secretHash)
                .map(MAPPER)
                .findOne());
  }

  @Override
  public boolean revoke(String id, Instant at) {
    return db.write(
            h ->
                h.createUpdate(
                        "UPDATE admin_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                    .bind("id", id)
                    .bind("at", at.toEpochMilli())
                    .execute())
        > 0;
  }
}
