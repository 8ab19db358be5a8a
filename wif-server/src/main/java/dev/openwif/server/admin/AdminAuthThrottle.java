package dev.openwif.server.admin;

import dev.openwif.server.http.TokenBucketLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Limits failed admin-key authentications per client address, so admin keys cannot be guessed
 * online: each address may fail {@code failuresPerMinute} times at once and regains one attempt
 * every {@code 60 / failuresPerMinute} seconds. The caller consults it only for a presented but
 * wrong key: a valid key is never throttled and a request without a key costs nothing (see {@code
 * AdminHttp.guard}). Thread-safe.
 */
public final class AdminAuthThrottle {
  public static final int DEFAULT_FAILURES_PER_MINUTE = 10;
  private static final int MAX_ADDRESSES = 100_000;

  private final TokenBucketLimiter failures;

  public AdminAuthThrottle(int failuresPerMinute, Clock clock) {
    if (failuresPerMinute < 1) {
      throw new IllegalArgumentException("failuresPerMinute must be at least 1");
    }
    this.failures =
        new TokenBucketLimiter(failuresPerMinute / 60.0, failuresPerMinute, MAX_ADDRESSES, clock);
  }

  /** How long {@code address} must wait before it may try again; empty when it may try now. */
  public Optional<Duration> blocked(String address) {
    return failures.wouldWait(address);
  }

  /** Records a failed authentication from {@code address}. */
  public void failed(String address) {
    failures.tryAcquire(address);
  }
}
