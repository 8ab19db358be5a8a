package dev.openwif.server.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a client address, a provider id): each key may spend {@code burst}
 * requests at once and regains {@code ratePerSecond} per second, never more than {@code burst}. A
 * refusal says how long until the next request would be allowed (for {@code Retry-After}, RFC 9110
 * §10.2.3).
 *
 * <p>Memory is bounded: at most {@code maxKeys} buckets. When that many exist, buckets that have
 * refilled completely (idle keys, equivalent to a fresh bucket) are dropped; if every bucket is
 * still in use, all are dropped at once, so an attacker cycling through many addresses can at worst
 * reset the limits, not exhaust memory. Thread-safe: each bucket is updated under its own monitor.
 */
public final class TokenBucketLimiter {
  private final double ratePerSecond;
  private final int burst;
  private final int maxKeys;
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }

  public TokenBucketLimiter(double ratePerSecond, int burst, int maxKeys, Clock clock) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "ratePerSecond must be positive and finite, was " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, was " + burst);
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be positive, was " + maxKeys);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Spends one token of {@code key}'s bucket; empty when allowed, else how long until a token is
   * back.
   */
  public Optional<Duration> tryAcquire(String key) {
    return take(key, true);
  }

  /** Like {@link #tryAcquire} but spends nothing: would a request of {@code key} be refused now? */
  public Optional<Duration> wouldWait(String key) {
    return take(key, false);
  }

  /** How many keys have a bucket now. */
  public int size() {
    return buckets.size();
  }

  private Optional<Duration> take(String key, boolean spend) {
    Objects.requireNonNull(key, "key");
    long now = nanos();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      if (!spend) {
        return Optional.empty();
      }
      makeRoom(now);
      bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    }
    synchronized (bucket) {
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        if (spend) {
          bucket.tokens -= 1;
        }
        return Optional.empty();
      }
      double missing = 1 - bucket.tokens;
      long waitNanos = (long) Math.ceil(missing / ratePerSecond * 1_000_000_000d);
      return Optional.of(Duration.ofNanos(Math.max(1, waitNanos)));
    }
  }

  private void refill(Bucket bucket, long now) {
    long elapsed = now - bucket.updatedNanos;
    if (elapsed > 0) {
      bucket.tokens = Math.min(burst, bucket.tokens + elapsed / 1_000_000_000d * ratePerSecond);
      bucket.updatedNanos = now;
    }
  }

  private void makeRoom(long now) {
    if (buckets.size() < maxKeys) {
      return;
    }
    buckets
        .values()
        .removeIf(
            b -> {
              synchronized (b) {
                refill(b, now);
                return b.tokens >= burst;
              }
            });
    if (buckets.size() >= maxKeys) {
      buckets.clear();
    }
  }

  private long nanos() {
    java.time.Instant at = clock.instant();
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
