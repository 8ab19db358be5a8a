package dev.openwif.server.sts;

import dev.openwif.server.http.TokenBucketLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Limits failed resource-server authentications at {@code POST /oauth/introspect} per client
 * address: each address may fail {@code failuresPerMinute} times at once and regains one attempt
 * every {@code 60 / failuresPerMinute} seconds. While over the limit, every introspection from the
 * address is answered 429 without looking at its credentials. Successful authentications cost
 * nothing. Separate from the admin API's throttle. Thread-safe.
 */
public final class ClientAuthThrottle {
  private static final int MAX_ADDRESSES = 100_000;

  private final TokenBucketLimiter failures;

  public ClientAuthThrottle(int failuresPerMinute, Clock clock) {
    if (failuresPerMinute < 1) {
      throw new IllegalArgumentException("failuresPerMinute must be at least 1");
    }
    this.failures =
        new TokenBucketLimiter(failuresPerMinute / 60.0, failuresPerMinute, MAX_ADDRESSES, clock);
  }

  /** How long {@code address} must wait before it may try again; empty when it may try now. */
  Optional<Duration> blocked(String address) {
    return failures.wouldWait(address);
  }

  /** Records a failed authentication from {@code address}. */
  void failed(String address) {
    failures.tryAcquire(address);
  }
}
