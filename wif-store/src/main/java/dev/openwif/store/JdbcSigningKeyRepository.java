package dev.openwif.store;

import dev.openwif.token.SigningKeyRepository;
import dev.openwif.token.StoredSigningKey;
import java.util.List;
import java.util.Objects;

/**
 * The server's signing keys in {@code signing_keys}, the private JWK as text (at rest as given:
 * encrypt before storing if the database is shared). A {@code kid} is unique ({@link
 * UniqueViolationException} on column {@code kid}). Thread-safe.
 */
final class JdbcSigningKeyRepository implements SigningKeyRepository {
  private final Database db;

  JdbcSigningKeyRepository(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void insert(StoredSigningKey key) {
    db.write(
        h ->
            h.createUpdate(
                    "INSERT INTO signing_keys (kid, private_jwk_json, created_at)"
                        + " VALUES (:kid, :jwk, :createdAt)")
                .bind("kid", key.kid())
                .bind("jwk", key.privateJwkJson())
                .bind("createdAt", key.createdAt().toEpochMilli())
                .execute());
  }

  /** Every key, oldest first (ties broken by {@code kid}). */
  @Override
  public List<StoredSigningKey> listAll() {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT kid, private_jwk_json, created_at FROM signing_keys"
                        + " ORDER BY created_at, kid")
                .map(
                    (rs, ctx) ->
                        new StoredSigningKey(
                            rs.getString("kid"),
                            rs.getString("private_jwk_json"),
                            Columns.instant(rs, "created_at")))
                .list());
  }
}
