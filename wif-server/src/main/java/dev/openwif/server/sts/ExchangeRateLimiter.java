package dev.openwif.server.sts;

import dev.openwif.exchange.VerificationBudget;
import dev.openwif.server.http.TokenBucketLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The token endpoint's abuse limits, so neither one noisy client nor a flood aimed at one provider
 * can take the whole server's exchange capacity, and forged tokens cannot lock genuine workloads
 * out:
 *
 * <ul>
 *   <li>one token bucket per client address, spent by every request before any cryptography;
 *   <li>one bucket per identity provider for good exchanges, spent only once the exchange is about
 *       to succeed: the subject token's signature and claims verified, a rule matched, its service
 *       account usable and, with replay protection, the token not used before ({@link #passed},
 *       just before the access token is minted). Before verification it is only looked at, so a
 *       request is refused early when genuine traffic already used the budget up;
 *   <li>a separate, smaller bucket per provider for refused subject tokens ({@link #failed}): those
 *       whose signature or claims checks failed, and those that verified but then failed a policy
 *       check (no matching rule, transformation, service account, replayed), so validly signed
 *       tokens from a public issuer that no rule admits cannot spend the good budget either. While
 *       it has tokens a failure costs nothing more. Once it is spent (the provider is flooded with
 *       bad tokens), each further failure also spends from a small bucket of the failing address
 *       for that provider ({@value #FAILING_ADDRESS_BURST} at once, {@value
 *       #FAILING_ADDRESS_PER_SECOND} per second), and an address whose bucket is empty is refused
 *       before verification. Addresses that send valid tokens never fail, so they are never slowed
 *       by the flood.
 * </ul>
 *
 * All provider ids that do not exist share one bucket, spent before verification (no verification
 * happens for them). Thread-safe.
 */
public final class ExchangeRateLimiter implements VerificationBudget {
  public static final double DEFAULT_PER_ADDRESS_PER_SECOND = 50;
  public static final int DEFAULT_PER_ADDRESS_BURST = 100;
  public static final double DEFAULT_PER_PROVIDER_PER_SECOND = 200;
  public static final int DEFAULT_PER_PROVIDER_BURST = 400;
  public static final double DEFAULT_FAILURES_PER_PROVIDER_PER_SECOND = 20;
  public static final int DEFAULT_FAILURE_BURST_PER_PROVIDER = 100;

  /** Failed verifications a failing address may make at once while its provider is flooded. */
  static final int FAILING_ADDRESS_BURST = 5;

  /** Failed verifications per second a failing address regains while its provider is flooded. */
  static final double FAILING_ADDRESS_PER_SECOND = 1;

  /** Buckets kept at most per dimension (bounded memory; see {@link TokenBucketLimiter}). */
  static final int MAX_KEYS = 100_000;

  private final TokenBucketLimiter perAddress;
  private final TokenBucketLimiter perProvider;
  private final TokenBucketLimiter failuresPerProvider;
  private final TokenBucketLimiter failingAddresses;

  /** Limits with the default budget of failed verifications per provider. */
  public ExchangeRateLimiter(
      double perAddressPerSecond,
      int perAddressBurst,
      double perProviderPerSecond,
      int perProviderBurst,
      Clock clock) {
    this(
        perAddressPerSecond,
        perAddressBurst,
        perProviderPerSecond,
        perProviderBurst,
        DEFAULT_FAILURES_PER_PROVIDER_PER_SECOND,
        DEFAULT_FAILURE_BURST_PER_PROVIDER,
        clock);
  }

  public ExchangeRateLimiter(
      double perAddressPerSecond,
      int perAddressBurst,
      double perProviderPerSecond,
      int perProviderBurst,
      double failuresPerProviderPerSecond,
      int failureBurstPerProvider,
      Clock clock) {
    Objects.requireNonNull(clock, "clock");
    this.perAddress = new TokenBucketLimiter(perAddressPerSecond, perAddressBurst, MAX_KEYS, clock);
    this.perProvider =
        new TokenBucketLimiter(perProviderPerSecond, perProviderBurst, MAX_KEYS, clock);
    this.failuresPerProvider =
        new TokenBucketLimiter(
            failuresPerProviderPerSecond, failureBurstPerProvider, MAX_KEYS, clock);
    this.failingAddresses =
        new TokenBucketLimiter(FAILING_ADDRESS_PER_SECOND, FAILING_ADDRESS_BURST, MAX_KEYS, clock);
  }

  /**
   * The defaults: 50 per second (burst 100) per client address, 200 per second (burst 400) per
   * provider, 20 failed verifications per second (burst 100) per provider.
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
   * Before verification: empty when this exchange may go on to verify its token; otherwise the
   * limit it hit: {@link #checkAddress} then {@link #checkProvider}.
   *
   * @param knownProvider whether a provider id exists in the current federation snapshot
   */
  public Optional<Limited> check(
      Optional<String> clientAddress, String providerId, Predicate<String> knownProvider) {
    Optional<Limited> byAddress = checkAddress(clientAddress);
    return byAddress.isPresent()
        ? byAddress
        : checkProvider(clientAddress, providerId, knownProvider);
  }

  /**
   * The client address's limit alone, spending one token of its bucket: checked on every request
   * once its body was read (at most 64 KiB) and parsed, before the request is refused or audited in
   * any way and before any cryptography, so that malformed requests count against it too and a
   * flood of them is answered 429 rather than audited one by one as malformed.
   */
  public Optional<Limited> checkAddress(Optional<String> clientAddress) {
    String address = clientAddress.orElse("unknown");
    return perAddress
        .tryAcquire("addr:" + address)
        .map(wait -> new Limited(wait, "client address " + address));
  }

  /**
   * The provider's limits alone. Spends one token of the shared bucket of unknown providers; a
   * known provider's buckets are only looked at here, spent after verification ({@link #passed},
   * {@link #failed}). Only a provider that exists gets its own bucket, so made-up ids can neither
   * fill the limiter with keys nor dodge the provider limit.
   *
   * @param knownProvider whether a provider id exists in the current federation snapshot
   */
  public Optional<Limited> checkProvider(
      Optional<String> clientAddress, String providerId, Predicate<String> knownProvider) {
    if (!knownProvider.test(providerId)) {
      return perProvider
          .tryAcquire(UNKNOWN_PROVIDER_KEY)
          .map(wait -> new Limited(wait, "unknown providers"));
    }
    Optional<Duration> failing = failingAddresses.wouldWait(failingKey(providerId, clientAddress));
    if (failing.isPresent()) {
      return Optional.of(
          new Limited(
              failing.get(),
              "failed verifications for flooded provider "
                  + providerId
                  + " from "
                  + clientAddress.orElse("unknown")));
    }
    return perProvider
        .wouldWait(providerKey(providerId))
        .map(wait -> new Limited(wait, "provider " + providerId));
  }

  @Override
  public Optional<Duration> passed(String providerId) {
    return perProvider.tryAcquire(providerKey(providerId));
  }

  @Override
  public void failed(String providerId, Optional<String> clientAddress) {
    if (failuresPerProvider.tryAcquire(providerKey(providerId)).isPresent()) {
      // The provider's budget of failures is spent: the failing address pays from now on. What it
      // is told comes from check() on its next request.
      Optional<Duration> unused =
          failingAddresses.tryAcquire(failingKey(providerId, clientAddress));
    }
  }

  private static String providerKey(String providerId) {
    return "provider:" + providerId;
  }

  private static String failingKey(String providerId, Optional<String> clientAddress) {
    return "provider:" + providerId + " addr:" + clientAddress.orElse("unknown");
  }
}
