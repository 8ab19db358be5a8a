package dev.openwif.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line of a kind through per interval and counts the ones held back, so that a fault
 * met by every request logs a few lines, not one per request. Thread-safe.
 */
final class LogThrottle {
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  LogThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Returns -1 when the line must be held back; otherwise the number of lines held back since the
   * last one let through (and resets it).
   */
  long admit() {
    long now = System.nanoTime();
    long due = next.get();
    if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos)) {
      return suppressed.getAndSet(0);
    }
    suppressed.incrementAndGet();
    return -1;
  }
}
