package dev.openwif.server.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one warning of a kind through per interval and counts the ones held back, so that a fault
 * met by every request logs a line every few seconds, not one per request. Thread-safe.
 */
public final class WarningThrottle {
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public WarningThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Returns -1 when the warning must be held back; otherwise how many were held back since the last
   * one let through.
   */
  public long admit() {
    long now = System.nanoTime();
    long due = next.get();
    if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos)) {
      return suppressed.getAndSet(0);
    }
    suppressed.incrementAndGet();
    return -1;
  }
}
