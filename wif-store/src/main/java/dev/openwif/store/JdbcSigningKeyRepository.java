package dev.openwif.store;

import dev.openwif.token.SigningKeyRepository;
import dev.openwif.token.StoredSigningKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * The server's signing keys in {@code signing_keys}, the private JWK as text (at rest as given:
 * encrypt before storing if the database is shared). A {@code kid} is unique ({@link
 * UniqueViolationException} on column {@code kid}). Rotation and retirement are conditional
 * updates, so concurrent writers (several nodes, a node and the CLI) cannot both succeed.
 * Thread-safe.
 */
final class JdbcSigningKeyRepository implements SigningKeyRepository {
  private final Database db;

  JdbcSigningKeyRepository(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void insert(StoredSigningKey key) {
    db.write(h -> insert(h, key));
  }

  private static int insert(Handle h, StoredSigningKey key) {
    return h.createUpdate(
            "INSERT INTO signing_keys (kid, private_jwk_json, created_at, activates_at,"
                + " verify_until, retired_at)"
                + " VALUES (:kid, :jwk, :createdAt, :activatesAt, :verifyUntil, :retiredAt)")
        .bind("kid", key.kid())
        .bind("jwk", key.privateJwkJson())
        .bind("createdAt", key.createdAt().toEpochMilli())
        .bind("activatesAt", key.activatesAt().toEpochMilli())
        .bind("verifyUntil", Columns.millisOrNull(key.verifyUntil()))
        .bind("retiredAt", Columns.millisOrNull(key.retiredAt()))
        .execute();
  }

  /** Every key, oldest first (ties broken by {@code kid}). */
  @Override
  public List<StoredSigningKey> listAll() {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT kid, private_jwk_json, created_at, activates_at, verify_until,"
                        + " retired_at FROM signing_keys ORDER BY created_at, kid")
                .map(
                    (rs, ctx) -> {
                      Instant createdAt = Columns.instant(rs, "created_at");
                      return new StoredSigningKey(
                          rs.getString("kid"),
                          rs.getString("private_jwk_json"),
                          createdAt,
                          // NULL: stored before activation times existed, active when created
                          Columns.optionalInstant(rs, "activates_at").orElse(createdAt),
                          Columns.optionalInstant(rs, "verify_until"),
                          Columns.optionalInstant(rs, "retired_at"));
                    })
                .list());
  }

  /**
   * One transaction: the conditional update of the expected active key (PostgreSQL makes a second
   * concurrent update wait for the first and then re-check its condition; SQLite serialises
   * writers), then the insert only when that update took.
   */
  @Override
  public boolean rotate(
      String expectedActiveKid, Instant activeVerifyUntil, StoredSigningKey next) {
    return db.write(
        h -> {
          int updated =
              h.createUpdate(
                      "UPDATE signing_keys SET verify_until = :until WHERE kid = :kid"
                          + " AND verify_until IS NULL AND retired_at IS NULL")
                  .bind("until", activeVerifyUntil.toEpochMilli())
                  .bind("kid", expectedActiveKid)
                  .execute();
          if (updated != 1) {
            return false;
          }
          insert(h, next);
          return true;
        });
  }

  @Override
  public boolean retire(String kid, Instant at) {
    return db.write(
            h ->
                h.createUpdate(
                        "UPDATE signing_keys SET retired_at = :at, private_jwk_json = ''"
                            + " WHERE kid = :kid AND retired_at IS NULL")
                    .bind("at", at.toEpochMilli())
                    .bind("kid", kid)
                    .execute())
        > 0;
  }

  @Override
  public boolean replacePrivateJwk(String kid, String expected, String replacement) {
    return db.write(
            h ->
                h.createUpdate(
                        "UPDATE signing_keys SET private_jwk_json = :replacement"
                            + " WHERE kid = :kid AND private_jwk_json = :expected"
                            + " AND retired_at IS NULL")
                    .bind("replacement", replacement)
                    .bind("kid", kid)
                    .bind("expected", expected)
                    .execute())
        > 0;
  }
}
