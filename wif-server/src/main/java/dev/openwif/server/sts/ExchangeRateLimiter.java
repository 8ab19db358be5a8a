package dev.openwif.server.sts;

import dev.openwif.server.http.TokenBucketLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The token endpoint's abuse limits: one token bucket per client address and one per identity
 * provider (so neither one noisy client nor a flood aimed at one provider can take the whole
 * server's exchange capacity); all provider ids that do not exist share one bucket. Checked before
 * any cryptography. Thread-safe.
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
      double perAddressPerSecond,
      int perAddressBurst,
      double perProviderPerSecond,
      int perProviderBurst,
      Clock clock) {
    Objects.requireNonNull(clock, "clock");
    this.perAddress = new TokenBucketLimiter(perAddressPerSecond, perAddressBurst, MAX_KEYS, clock);
    this.perProvider =
        new TokenBucketLimiter(perProviderPerSecond, perProviderBurst, MAX_KEYS, clock);
  }

  /**
   * The defaults: 50 per second (burst 100) per client address, 200 per second (burst 400) per
   * provider.
   */
  public static ExchangeRateLimiter withDefaults(Clock clock) {
    return new ExchangeRateLimiter(
        DEFAULT_PER_ADDRESS_PER_SECOND,
        DEFAULT_PER_ADDRESS_BURST,
        DEFAULT_PER_PROVIDER_PER_SECOND,
        DEFAULT_PER_PROVIDER_BURST,
        clock);
  }

  /** A refusal: how long the client should wait ({@code Retry-After}) and which limit it hit. */
  public record Limited(Duration retryAfter, String which) {
    public Limited {
      Objects.requireNonNull(retryAfter, "retryAfter");
      Objects.requireNonNull(which, "which");
    }
  }

  /** The one bucket every provider id not in the current federation snapshot shares. */
  static final String UNKNOWN_PROVIDER_KEY = "provider:<unknown>";

  /**
   * Empty when this exchange may run; otherwise the limit it hit: {@link #checkAddress} then {@link
   * #checkProvider}.
   *
   * @param knownProvider whether a provider id exists in the current federation snapshot
   */
  public Optional<Limited> check(
      Optional<String> clientAddress, String providerId, Predicate<String> knownProvider) {
    Optional<Limited> byAddress = checkAddress(clientAddress);
    return byAddress.isPresent() ? byAddress : checkProvider(providerId, knownProvider);
  }

  /**
   * The client address's limit alone, spending one token of its bucket: checked on every request
   * before its body is read or parsed, so that malformed requests count against it too.
   */
  public Optional<Limited> checkAddress(Optional<String> clientAddress) {
    String address = clientAddress.orElse("unknown");
    return perAddress
        .tryAcquire("addr:" + address)
        .map(wait -> new Limited(wait, "client address " + address));
  }

  /**
   * The provider's limit alone, spending one token of its bucket. Only a provider that exists gets
   * its own bucket; every unknown id is charged to one shared bucket, so made-up ids can neither
   * fill the limiter with keys nor dodge the provider limit.
   *
   * @param knownProvider whether a provider id exists in the current federation snapshot
   */
  public Optional<Limited> checkProvider(String providerId, Predicate<String> knownProvider) {
    boolean known = knownProvider.test(providerId);
    return perProvider
        .tryAcquire(known ? "provider:" + providerId : UNKNOWN_PROVIDER_KEY)
        .map(wait -> new Limited(wait, known ? "provider " + providerId : "unknown providers"));
  }
}
