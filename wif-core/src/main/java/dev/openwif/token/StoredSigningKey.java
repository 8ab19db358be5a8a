package dev.openwif.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A signing key of the server's own access tokens as persisted: the private JWK as JSON (empty once
 * the key is retired: its private part is erased), when it was created, until when it verifies
 * tokens once a newer key took over ({@code verifyUntil}, set by the rotation) and when it was
 * retired. {@link SigningKeyLifecycle} derives the state (active, verifying, retired) from these.
 */
public record StoredSigningKey(
    String kid,
    String privateJwkJson,
    Instant createdAt,
    Optional<Instant> verifyUntil,
    Optional<Instant> retiredAt) {
  public StoredSigningKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(privateJwkJson, "privateJwkJson");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(verifyUntil, "verifyUntil");
    Objects.requireNonNull(retiredAt, "retiredAt");
  }

  /** A key that has not been rotated out nor retired. */
  public StoredSigningKey(String kid, String privateJwkJson, Instant createdAt) {
    this(kid, privateJwkJson, createdAt, Optional.empty(), Optional.empty());
  }

  /** The same key with other private JWK text (e.g. encrypted or decrypted). */
  public StoredSigningKey withPrivateJwkJson(String text) {
    return new StoredSigningKey(kid, text, createdAt, verifyUntil, retiredAt);
  }

  @Override
  public String toString() {
    return "StoredSigningKey[kid="
        + kid
        + ", createdAt="
        + createdAt
        + ", verifyUntil="
        + verifyUntil.map(Instant::toString).orElse("-")
        + ", retiredAt="
        + retiredAt.map(Instant::toString).orElse("-")
        + "]";
  }
}
