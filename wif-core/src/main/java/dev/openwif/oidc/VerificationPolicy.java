package dev.openwif.oidc;

import java.time.Duration;
import java.util.Objects;

/**
 * What a subject token must satisfy for one provider.
 *
 * @param issuer the exact {@code iss} (compared byte for byte, RFC 7519 §4.1.1)
 * @param audience a value that {@code aud} must be or contain (RFC 7519 §4.1.3)
 * @param leeway clock skew allowed on {@code exp}, {@code nbf} and {@code iat} (default 60 s)
 * @param maxLifetime the largest {@code exp - iat} accepted (default 24 h)
 * @param maxTokenBytes the largest compact serialization accepted (default 16 KiB)
 */
public record VerificationPolicy(
    String issuer, String audience, Duration leeway, Duration maxLifetime, int maxTokenBytes) {
  public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(60);
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);
  public static final int DEFAULT_MAX_TOKEN_BYTES = 16 * 1024;

  public VerificationPolicy {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(leeway, "leeway");
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    if (issuer.isEmpty() || audience.isEmpty()) {
      throw new IllegalArgumentException("issuer and audience must not be empty");
    }
    if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("leeway must be between 0 and 10 minutes, was " + leeway);
    }
    if (maxLifetime.isNegative() || maxLifetime.isZero()) {
      throw new IllegalArgumentException("maxLifetime must be positive, was " + maxLifetime);
    }
    if (maxTokenBytes < 64) {
      throw new IllegalArgumentException("maxTokenBytes must be at least 64, was " + maxTokenBytes);
    }
  }

  /** The design defaults: 60 s leeway, 24 h maximum lifetime, 16 KiB size cap. */
  public static VerificationPolicy defaults(String issuer, String audience) {
    return new VerificationPolicy(
        issuer, audience, DEFAULT_LEEWAY, DEFAULT_MAX_LIFETIME, DEFAULT_MAX_TOKEN_BYTES);
  }
}
