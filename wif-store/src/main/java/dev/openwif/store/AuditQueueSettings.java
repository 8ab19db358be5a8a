package dev.openwif.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How the store's audit queue behaves (docs/operations.md, "Audit queue"). Immutable.
 *
 * @param capacity the most events queued; past 80 % of it a warning is logged
 * @param enqueueWait how long {@code record} waits for room in a full queue before it refuses the
 *     event (the exchange then answers 503): short, so that a stalled database costs each request
 *     at most this long, while it holds its admission slot
 * @param closeDrain how long closing the store waits for the queue to be written; what is still
 *     queued after it is lost, and the number logged
 * @param maxRetryBackoff the longest pause between retries of a batch the database refused for a
 *     reason worth retrying (connection lost, timeout, lock, serialization); pauses start at 50 ms
 *     and double up to this
 */
public record AuditQueueSettings(
    int capacity, Duration enqueueWait, Duration closeDrain, Duration maxRetryBackoff) {

  /** 10,000 events, 100 ms to enqueue, 5 s to drain at close, retries at most 5 s apart. */
  public static final AuditQueueSettings DEFAULTS =
      new AuditQueueSettings(
          10_000, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(5));

  public AuditQueueSettings {
    Objects.requireNonNull(enqueueWait, "enqueueWait");
    Objects.requireNonNull(closeDrain, "closeDrain");
    Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
    if (capacity < 1) {
      throw new IllegalArgumentException("audit queue capacity must be at least 1: " + capacity);
    }
    if (enqueueWait.isNegative() || closeDrain.isNegative() || maxRetryBackoff.isNegative()) {
      throw new IllegalArgumentException("audit queue durations must not be negative");
    }
  }

  /** The depth past which a warning is logged: 80 % of the capacity. */
  int highWaterMark() {
    return Math.max(1, (int) (capacity * 8L / 10));
  }
}
