package dev.openwif.oidc;

import com.nimbusds.jose.jwk.JWK;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keys from a JWKS uploaded by an administrator (for issuers without reachable discovery). Never
 * fetches anything. Immutable and thread-safe.
 */
public final class UploadedJwksKeySource implements KeySource {
  private final Map<String, JWK> keys;

  /**
   * @param jwksJson a JWK Set with public keys only
   * @throws IllegalArgumentException when the text is not a JWKS, holds private key material,
   *     repeats a member or a {@code kid}; the message says which (the admin API can show it)
   */
  public UploadedJwksKeySource(String jwksJson) {
    this.keys = JwksDocument.keysByKid(Objects.requireNonNull(jwksJson, "jwksJson"));
  }

  @Override
  public Optional<JWK> keyFor(String kid) {
    return Optional.ofNullable(keys.get(kid));
  }

  /** The kids this source knows. */
  public Set<String> kids() {
    return keys.keySet();
  }
}
