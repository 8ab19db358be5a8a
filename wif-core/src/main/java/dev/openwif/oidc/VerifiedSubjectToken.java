package dev.openwif.oidc;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A subject token whose structure, signature and time/issuer/audience claims have been verified.
 *
 * @param claims the payload as plain Java values: {@link String}, {@link Boolean}, {@link Long} for
 *     integers that fit a long (no fraction, no exponent), {@link java.math.BigDecimal} for every
 *     other number, {@link java.util.List}, and {@link Map} for nested objects. Members whose value
 *     is JSON {@code null} are left out (also inside nested objects), and {@code null} array
 *     elements are dropped. Unmodifiable, in document order.
 * @param alg the verified {@code alg} header
 * @param kid the {@code kid} of the key that verified the signature
 * @param jti the {@code jti} claim when it is a non-empty string
 */
public record VerifiedSubjectToken(
    Map<String, Object> claims,
    String alg,
    String kid,
    Instant issuedAt,
    Instant expiresAt,
    Optional<String> jti) {
  public VerifiedSubjectToken {
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(alg, "alg");
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(jti, "jti");
  }

  /** The {@code sub} claim when it is a string. */
  public Optional<String> subject() {
    return claims.get("sub") instanceof String s ? Optional.of(s) : Optional.empty();
  }
}
