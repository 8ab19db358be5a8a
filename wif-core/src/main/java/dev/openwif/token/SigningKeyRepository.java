package dev.openwif.token;

import java.time.Instant;
import java.util.List;

/** Persists the server's signing keys so they survive restarts. Implementations are thread-safe. */
public interface SigningKeyRepository {
  void insert(StoredSigningKey key);

  /** Every key, retired ones included, oldest first. */
  List<StoredSigningKey> listAll();

  /**
   * Rotation as one conditional write: when {@code expectedActiveKid} is still the active key (no
   * {@code verifyUntil}, not retired) it gets {@code activeVerifyUntil} and {@code next} is
   * inserted, in one transaction; otherwise nothing changes. This is the guard that lets only one
   * of several nodes (or a node and the CLI) rotate at a time.
   *
   * @return true when this call rotated; false when another writer got there first
   */
  boolean rotate(String expectedActiveKid, Instant activeVerifyUntil, StoredSigningKey next);

  /**
   * Retires a key that is not retired yet: sets {@code retiredAt} and erases its private part.
   *
   * @return false when there is no such key or it was retired already
   */
  boolean retire(String kid, Instant at);

  /**
   * Replaces a key's stored private JWK text when it still is {@code expected} (re-encryption).
   *
   * @return false when the row changed meanwhile (or is gone)
   */
  boolean replacePrivateJwk(String kid, String expected, String replacement);
}
