package dev.openwif.server;

import dev.openwif.usage.UsageCounter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's usage counts to the store in batches: every {@link #INTERVAL} on one daemon
 * thread ({@code openwif-usage-flush}), on demand before a usage read ({@link #flushNow}) and once
 * more on {@link #close}. A failed write keeps the counts for the next flush and is logged (the
 * exception's class only). Thread-safe.
 */
final class UsageFlusher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UsageFlusher.class);

  /** How often pending counts are written. */
  static final Duration INTERVAL = Duration.ofSeconds(10);

  private final UsageCounter counter;
  private final AtomicLong droppedReported = new AtomicLong();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "openwif-usage-flush");
            t.setDaemon(true);
            return t;
          });

  UsageFlusher(UsageCounter counter) {
    this.counter = Objects.requireNonNull(counter, "counter");
    var unused =
        thread.scheduleWithFixedDelay(
            this::flushNow, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Writes what is pending now; a failure is logged, the counts kept. */
  void flushNow() {
    try {
      counter.flush();
    } catch (RuntimeException e) {
      LOG.warn(
          "writing usage counts failed ({}); {} key(s) kept for the next flush",
          e.getClass().getName(),
          counter.pendingKeys());
    }
    long dropped = counter.droppedCalls();
    long before = droppedReported.getAndSet(dropped);
    if (dropped > before) {
      LOG.warn("{} gateway call(s) not counted: too many usage keys pending", dropped - before);
    }
  }

  /** Stops the thread, then writes what is left. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushNow();
  }
}
