package dev.openwif.server.sts;

import dev.openwif.server.http.TokenBucketLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The token endpoint's abuse limits: one token bucket per client address and one per identity provider
 * (so neither one noisy client nor a flood aimed at one provider can take the whole server's exchange
 * capacity). Checked before any cryptography. Thread-safe.
 */
public final class ExchangeRateLimiter {
  public static final double DEFAULT_PER_ADDRESS_PER_SECOND = 50;
  public static final int DEFAULT_PER_ADDRESS_BURST = 100;
  public static final double DEFAULT_PER_PROVIDER_PER_SECOND = 200;
  public static final int DEFAULT_PER_PROVIDER_BURST = 400;

  /** Buckets kept at most per dimension (bounded memory; see {@link TokenBucketLimiter}). */
  static final int MAX_KEYS = 100_000;

  private final TokenBucketLimiter perAddress;
  private final TokenBucketLimiter perProvider;

  public ExchangeRateLimiter(
      double perAddressPerSecond, int perAddressBurst, double perProviderPerSecond, int perProviderBurst, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    this.perAddress = new TokenBucketLimiter(perAddressPerSecond, perAddressBurst, MAX_KEYS, clock);
    this.perProvider = new TokenBucketLimiter(perProviderPerSecond, perProviderBurst, MAX_KEYS, clock);
  }

  /** The defaults: 50 per second (burst 100) per client address, 200 per second (burst 400) per provider. */
  public static ExchangeRateLimiter withDefaults(Clock clock) {
    return new ExchangeRateLimiter(DEFAULT_PER_ADDRESS_PER_SECOND, DEFAULT_PER_ADDRESS_BURST,
        DEFAULT_PER_PROVIDER_PER_SECOND, DEFAULT_PER_PROVIDER_BURST, clock);
  }

  /** Empty when this exchange may run; otherwise how long the client should wait ({@code Retry-After}). */
  public Optional<Duration> check(Optional<String> clientAddress, String providerId) {
    Optional<Duration> address = perAddress.tryAcquire("addr:" + clientAddress.orElse("unknown"));
    if (address.isPresent()) {
      return address;
    }
    return perProvider.tryAcquire("provider:" + providerId);
  }
}
