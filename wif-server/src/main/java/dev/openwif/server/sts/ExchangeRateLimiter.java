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

  /** Empty when this exchange may run; otherwise how long the client should wait ({@code Retry-After}). */
  public Optional<Duration> check(Optional<String> clientAddress, String providerId) {
    Optional<Duration> address = perAddress.tryAcquire("addr:" + clientAddress.orElse("unknown"));
    if (address.isPresent()) {
      return address;
    }
    return perProvider.tryAcquire("provider:" + providerId);
  }
}
