package dev.openwif.oidc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DiscoveryKeySource} keeps an issuer's keys fresh.
 *
 * @param refreshInterval how often keys are re-fetched; a key removed from the JWKS stops being
 *     accepted within this interval (default 60 s)
 * @param unknownKidCooldown at most one fetch per this period is caused by unknown kids, and a
 *     failed fetch is not retried sooner (default 10 s)
 * @param maxStaleness how long last-known-good keys keep serving while the issuer is unreachable
 *     (default 24 h)
 * @param maxWait the longest a request waits for a fetch of the issuer's keys, in {@link
 *     KeySource#prepare}, before it is answered from what is cached or refused (default 2 s); the
 *     fetch itself goes on in the background
 */
public record DiscoverySettings(
    Duration refreshInterval,
    Duration unknownKidCooldown,
    Duration maxStaleness,
    Duration maxWait) {
  /** The default {@link #maxWait()}. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(2);

  public DiscoverySettings {
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    Objects.requireNonNull(unknownKidCooldown, "unknownKidCooldown");
    Objects.requireNonNull(maxStaleness, "maxStaleness");
    Objects.requireNonNull(maxWait, "maxWait");
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException("refreshInterval must be positive");
    }
    if (unknownKidCooldown.isNegative()) {
      throw new IllegalArgumentException("unknownKidCooldown must not be negative");
    }
    if (maxStaleness.compareTo(refreshInterval) < 0) {
      throw new IllegalArgumentException("maxStaleness must be at least refreshInterval");
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative");
    }
  }

  /** These settings with the default {@link #maxWait()} of 2 s. */
  public DiscoverySettings(
      Duration refreshInterval, Duration unknownKidCooldown, Duration maxStaleness) {
    this(refreshInterval, unknownKidCooldown, maxStaleness, DEFAULT_MAX_WAIT);
  }

  public static DiscoverySettings defaults() {
    return new DiscoverySettings(
        Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofHours(24), DEFAULT_MAX_WAIT);
  }

  /** These settings with another {@link #maxWait()}. */
  public DiscoverySettings withMaxWait(Duration value) {
    return new DiscoverySettings(refreshInterval, unknownKidCooldown, maxStaleness, value);
  }
}
