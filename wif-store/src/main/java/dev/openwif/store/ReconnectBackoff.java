package dev.openwif.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the change listener waits before it reconnects: {@code first} after the first failure,
 * doubling after each further one up to {@code max}. It goes back to {@code first} only after a
 * connection that stayed up at least {@code stable}: a connection that comes up and fails again
 * soon after, over and over, backs off to {@code max} instead of reconnecting (and re-reading
 * everything) every {@code first}. Pure: the caller gives the time (a monotonic reading in
 * nanoseconds, as {@link System#nanoTime}). Not thread-safe (one listener thread uses it).
 */
final class ReconnectBackoff {
  private final Duration first;
  private final Duration max;
  private final Duration stable;
  private Duration next;
  private boolean up;
  private long upSince;

  ReconnectBackoff(Duration first, Duration max, Duration stable) {
    this.first = Objects.requireNonNull(first, "first");
    this.max = Objects.requireNonNull(max, "max");
    this.stable = Objects.requireNonNull(stable, "stable");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || stable.isNegative()) {
      throw new IllegalArgumentException(
          "backoff needs 0 < first <= max and stable >= 0, got first "
              + first
              + ", max "
              + max
              + ", stable "
              + stable);
    }
    this.next = first;
  }

  /** The connection came up at {@code nowNanos}. */
  void connected(long nowNanos) {
    up = true;
    upSince = nowNanos;
  }

  /**
   * The connection failed (or could not be opened) at {@code nowNanos}: answers how long to wait
   * before the next attempt.
   */
  Duration failed(long nowNanos) {
    if (up && nowNanos - upSince >= stable.toNanos()) {
      next = first;
    }
    up = false;
    Duration wait = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return wait;
  }
}
