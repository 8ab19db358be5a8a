package dev.openwif.oidc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DiscoveryKeySource} keeps an issuer's keys fresh.
 *
 * @param refreshInterval how often keys are re-fetched; a key removed from the JWKS stops being
 *     accepted within this interval (default 60 s)
 * @param unknownKidCooldown at most one fetch per this period is caused by unknown kids, and a
 *     failed first fetch is not retried sooner (default 10 s)
 * @param maxStaleness how long last-known-good keys keep serving while the issuer is unreachable
 *     (default 24 h)
 */
public record DiscoverySettings(
    Duration refreshInterval, Duration unknownKidCooldown, Duration maxStaleness) {
  public DiscoverySettings {
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    Objects.requireNonNull(unknownKidCooldown, "unknownKidCooldown");
    Objects.requireNonNull(maxStaleness, "maxStaleness");
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException("refreshInterval must be positive");
    }
    if (unknownKidCooldown.isNegative()) {
      throw new IllegalArgumentException("unknownKidCooldown must not be negative");
    }
    if (maxStaleness.compareTo(refreshInterval) < 0) {
      throw new IllegalArgumentException("maxStaleness must be at least refreshInterval");
    }
  }

  public static DiscoverySettings defaults() {
    return new DiscoverySettings(
        Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofHours(24));
  }
}
