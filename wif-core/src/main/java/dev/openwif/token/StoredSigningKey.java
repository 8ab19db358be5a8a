package dev.openwif.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A signing key of the server's own access tokens as persisted: the private JWK as JSON (empty once
 * the key is retired: its private part is erased), when it was created, from when it may sign
 * ({@code activatesAt}: a rotation publishes the new key first and lets it sign only once every
 * node can have read it), until when it verifies tokens once a newer key took over ({@code
 * verifyUntil}, set by the rotation) and when it was retired. {@link SigningKeyLifecycle} derives
 * the state (pending, active, verifying, retired) from these.
 */
public record StoredSigningKey(
    String kid,
    String privateJwkJson,
    Instant createdAt,
    Instant activatesAt,
    Optional<Instant> verifyUntil,
    Optional<Instant> retiredAt) {
  public StoredSigningKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(privateJwkJson, "privateJwkJson");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(activatesAt, "activatesAt");
    Objects.requireNonNull(verifyUntil, "verifyUntil");
    Objects.requireNonNull(retiredAt, "retiredAt");
    if (activatesAt.isBefore(createdAt)) {
      throw new IllegalArgumentException("a key cannot activate before it is created");
    }
  }

  /** A key that may sign from its creation on (activates when created). */
  public StoredSigningKey(
      String kid,
      String privateJwkJson,
      Instant createdAt,
      Optional<Instant> verifyUntil,
      Optional<Instant> retiredAt) {
    this(kid, privateJwkJson, createdAt, createdAt, verifyUntil, retiredAt);
  }

  /** A key that has not been rotated out nor retired and may sign from its creation on. */
  public StoredSigningKey(String kid, String privateJwkJson, Instant createdAt) {
    this(kid, privateJwkJson, createdAt, createdAt, Optional.empty(), Optional.empty());
  }

  /** The same key with other private JWK text (encrypted or decrypted). */
  public StoredSigningKey withPrivateJwkJson(String text) {
    return new StoredSigningKey(kid, text, createdAt, activatesAt, verifyUntil, retiredAt);
  }

  /** The same key, allowed to sign only from {@code at} on. */
  public StoredSigningKey activatingAt(Instant at) {
    return new StoredSigningKey(kid, privateJwkJson, createdAt, at, verifyUntil, retiredAt);
  }

  @Override
  public String toString() {
    return "StoredSigningKey[kid="
        + kid
        + ", createdAt="
        + createdAt
        + ", activatesAt="
        + activatesAt
        + ", verifyUntil="
        + verifyUntil.map(Instant::toString).orElse("-")
        + ", retiredAt="
        + retiredAt.map(Instant::toString).orElse("-")
        + "]";
  }
}
