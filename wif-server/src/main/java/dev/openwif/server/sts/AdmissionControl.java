package dev.openwif.server.sts;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Bounded concurrency for the exchange's CPU-bound crypto (docs/decisions.md): at most {@code
 * permits} exchanges run at once, the others wait in arrival order (a fair semaphore; no request
 * overtakes one already waiting, so the tail is the queue's length, not bad luck).
 *
 * <p>How long a queue may grow derives from what an exchange costs here, measured, not guessed: the
 * time an admitted exchange holds its slot is averaged (exponentially, 1/16 per exchange), and a
 * request that finds {@code ahead} others waiting expects to wait {@code ahead x average /
 * permits}. When that exceeds half of {@code maxWait} it is refused at once (503 + {@code
 * retry-after}) instead of queueing towards the bound; a wait that still runs to {@code maxWait} is
 * refused then; and {@code maxWaiting} is a hard cap on the queue whatever the estimate says. So
 * under overload the server sheds early and every answer comes within about {@code maxWait}, while
 * at normal load (tens of requests queued, each ~0.1 ms) nothing is shed. Thread-safe.
 */
public final class AdmissionControl {
  private static final long INITIAL_SERVICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * An exchange costs well under a millisecond of CPU; a longer hold is a pause (a collection, a
   * moment of audit back-pressure), not its cost, and counts as this much at most, so that one
   * pause cannot make the average shed a normal queue.
   */
  private static final long MAX_SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Semaphore slots;
  private final int permits;
  private final int maxWaiting;
  private final long maxWaitNanos;
  private final long shedBeyondNanos;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong averageServiceNanos;

  AdmissionControl(int permits, int maxWaiting, Duration maxWait) {
    this(permits, maxWaiting, maxWait, Duration.ofNanos(INITIAL_SERVICE_NANOS));
  }

  /** As above, with the average service time to start from (tests). */
  AdmissionControl(int permits, int maxWaiting, Duration maxWait, Duration initialService) {
    if (permits < 1 || maxWaiting < 0) {
      throw new IllegalArgumentException("permits must be positive and maxWaiting not negative");
    }
    this.slots = new Semaphore(permits, true);
    this.permits = permits;
    this.maxWaiting = maxWaiting;
    this.maxWaitNanos = Objects.requireNonNull(maxWait, "maxWait").toNanos();
    this.shedBeyondNanos = maxWaitNanos / 2;
    this.averageServiceNanos = new AtomicLong(initialService.toNanos());
  }

  /**
   * Two slots per core (the work is CPU-bound; the second slot covers an exchange briefly blocked
   * on the audit queue), at most 750 ms of waiting so that every answer, refusals included, comes
   * well within a second, and a hard cap of 1,024 waiting per slot.
   */
  public static AdmissionControl forThisMachine() {
    int slots = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    return new AdmissionControl(slots, 1024 * slots, Duration.ofMillis(750));
  }

  /**
   * Runs {@code work} when admitted; empty when the server is saturated (the caller answers 503).
   */
  <T> Optional<T> run(Supplier<T> work) {
    if (!admitted()) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    try {
      return Optional.of(work.get());
    } finally {
      slots.release();
      record(System.nanoTime() - start);
    }
  }

  /** The average time an admitted exchange holds its slot, as measured so far. */
  Duration averageService() {
    return Duration.ofNanos(averageServiceNanos.get());
  }

  /** Requests waiting for a slot now. */
  int waitingNow() {
    return waiting.get();
  }

  private boolean admitted() {
    try {
      // tryAcquire() without a timeout would barge past the queue even on a fair semaphore
      if (slots.tryAcquire(0, TimeUnit.NANOSECONDS)) {
        return true;
      }
      int ahead = waiting.incrementAndGet();
      try {
        if (ahead > maxWaiting || expectedWaitNanos(ahead) > shedBeyondNanos) {
          return false;
        }
        return slots.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
      } finally {
        waiting.decrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private long expectedWaitNanos(int ahead) {
    return ahead * averageServiceNanos.get() / permits;
  }

  private void record(long serviceNanos) {
    long sample = Math.min(Math.max(serviceNanos, 0), MAX_SAMPLE_NANOS);
    averageServiceNanos.accumulateAndGet(sample, (average, s) -> average + (s - average) / 16);
  }
}
