package dev.openwif.server.sts;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounded concurrency for the exchange's CPU-bound crypto (docs/decisions.md): at most {@code
 * permits} exchanges run at once; up to {@code maxWaiting} more wait at most {@code maxWait} for a
 * slot; anything beyond is refused at once, so under saturation requests fail fast with 503 +
 * {@code retry-after} instead of queueing on unbounded virtual threads until their latency reaches
 * seconds. Thread-safe.
 */
public final class AdmissionControl {
  private final Semaphore permits;
  private final int maxWaiting;
  private final Duration maxWait;
  private final AtomicInteger waiting = new AtomicInteger();

  AdmissionControl(int permits, int maxWaiting, Duration maxWait) {
    if (permits < 1 || maxWaiting < 0) {
      throw new IllegalArgumentException("permits must be positive and maxWaiting not negative");
    }
    this.permits = new Semaphore(permits, true);
    this.maxWaiting = maxWaiting;
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
  }

  /** Two slots per core, a queue of 64 per slot, 1 s of waiting at most. */
  public static AdmissionControl forThisMachine() {
    int slots = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    return new AdmissionControl(slots, 64 * slots, Duration.ofSeconds(1));
  }

  /**
   * Runs {@code work} when admitted; empty when the server is saturated (the caller answers 503).
   */
  <T> Optional<T> run(Supplier<T> work) {
    if (!permits.tryAcquire()) {
      if (waiting.incrementAndGet() > maxWaiting) {
        waiting.decrementAndGet();
        return Optional.empty();
      }
      try {
        if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
          return Optional.empty();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } finally {
        waiting.decrementAndGet();
      }
    }
    try {
      return Optional.of(work.get());
    } finally {
      permits.release();
    }
  }
}
