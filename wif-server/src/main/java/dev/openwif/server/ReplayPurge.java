package dev.openwif.server;

import dev.openwif.federation.ReplayMemory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the expired entries of the shared replay memory every {@link #INTERVAL} on a daemon
 * thread of its own (never on an exchange). Every node runs it; deleting an expired row twice is
 * harmless; what has expired is the memory's to say (the shared one asks the database's clock, not
 * this node's). A failure is logged by class and retried at the next run. Thread-safe; {@link
 * #close} stops the thread.
 */
final class ReplayPurge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayPurge.class);

  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          task -> Thread.ofPlatform().daemon().name("openwif-replay-purge").unstarted(task));

  ReplayPurge(ReplayMemory memory) {
    Objects.requireNonNull(memory, "memory");
    var unused =
        thread.scheduleWithFixedDelay(
            () -> purge(memory), INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void purge(ReplayMemory memory) {
    try {
      int deleted = memory.purgeExpired();
      if (deleted > 0) {
        LOG.debug("replay memory ({}): purged {} expired entries", memory.kind(), deleted);
      }
    } catch (RuntimeException e) {
      LOG.warn("replay memory purge failed: {}", e.getClass().getName());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
