package dev.openwif.server.admin;

import dev.openwif.federation.AdminKey;
import dev.openwif.federation.admin.AdminKeys;
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

  /** What presenting an admin key from an address came to. */
  public sealed interface Outcome {
    /** The key is valid: go on as {@code key}. */
    record Admitted(AdminKey key) implements Outcome {}

    /** The key is wrong (counted against the address): answer 401. */
    record Refused() implements Outcome {}

    /** The address is over its limit: answer 429 with {@code Retry-After: retryAfter}. */
    record Throttled(Duration retryAfter) implements Outcome {}
  }

  /**
   * Authenticates {@code secret} presented from {@code address}, the one policy of the admin API
   * and the dashboard: a valid generated key ({@link AdminKeys#generatedShape}, 256 random bits) is
   * never throttled; while the address is over its limit every other credential is throttled
   * without being checked (an operator-chosen bootstrap key could otherwise be guessed past the
   * lockout); otherwise a wrong key counts one failure.
   */
  public Outcome authenticate(String address, String secret, AdminKeys keys) {
    Optional<Duration> wait = blocked(address);
    if (wait.isPresent() && !AdminKeys.generatedShape(secret)) {
      return new Outcome.Throttled(wait.get());
    }
    Optional<AdminKey> key = keys.authenticate(secret);
    if (key.isPresent()) {
      return new Outcome.Admitted(key.get());
    }
    if (wait.isPresent()) {
      return new Outcome.Throttled(wait.get());
    }
    failed(address);
    return new Outcome.Refused();
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
