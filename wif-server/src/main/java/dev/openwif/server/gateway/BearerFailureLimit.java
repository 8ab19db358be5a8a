package dev.openwif.server.gateway;

import dev.openwif.server.http.TokenBucketLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How many failed bearer-token verifications a client address may make on {@code /v1}: a token
 * bucket per address ({@link TokenBucketLimiter}), spent only when a presented token fails
 * verification. An address whose bucket is empty is answered 429 before its next unknown token is
 * verified, so a caller cannot force an ECDSA verification per request. A valid token never spends
 * from it, and one already verified (remembered by the verifier's cache) is honoured without
 * looking at it. The client address comes from {@link dev.openwif.server.http.TrustedProxies}.
 * Thread-safe.
 */
public final class BearerFailureLimit {
  /** Sustained failed verifications per address per second by default. */
  public static final double DEFAULT_PER_SECOND = 2;

  /** Failed verifications an address may make at once by default. */
  public static final int DEFAULT_BURST = 20;

  /** Addresses with a bucket at most (bounded memory; see {@link TokenBucketLimiter}). */
  static final int MAX_KEYS = 100_000;

  private final TokenBucketLimiter failures;

  public BearerFailureLimit(double perSecond, int burst, Clock clock) {
    this.failures = new TokenBucketLimiter(perSecond, burst, MAX_KEYS, clock);
  }

  /** The defaults: 2 failures per second per address, 20 at once. */
  public static BearerFailureLimit withDefaults(Clock clock) {
    return new BearerFailureLimit(DEFAULT_PER_SECOND, DEFAULT_BURST, clock);
  }

  /** Empty when {@code address} may have a token verified; otherwise how long it must wait. */
  Optional<Duration> wouldWait(String address) {
    return failures.wouldWait(address);
  }

  /** {@code address} presented a token that failed verification: spends one from its bucket. */
  void failed(String address) {
    Optional<Duration> unused = failures.tryAcquire(address);
  }
}
