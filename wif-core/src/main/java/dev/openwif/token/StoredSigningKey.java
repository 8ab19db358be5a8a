package dev.openwif.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A signing key of the server's own access tokens as persisted: the private JWK as JSON. The newest
 * key signs; older ones stay published in the JWKS so tokens they signed keep verifying until they
 * expire.
 */
public record StoredSigningKey(String kid, String privateJwkJson, Instant createdAt) {
  public StoredSigningKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(privateJwkJson, "privateJwkJson");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public String toString() {
    return "StoredSigningKey[kid=" + kid + ", createdAt=" + createdAt + "]";
  }
}
