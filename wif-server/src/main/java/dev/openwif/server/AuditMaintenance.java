package dev.openwif.server;

import dev.openwif.audit.AggregatingAuditSink;
import dev.openwif.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log's background work, on one daemon thread ({@code openwif-audit-maintenance}): every
 * {@link #FLUSH_INTERVAL} it stores the counted refusals of the minutes that are over ({@link
 * AggregatingAuditSink#flushDue}); every {@link #RETENTION_INTERVAL} (first shortly after start) it
 * deletes events older than the retention, {@link #DELETE_BATCH} rows per short transaction with a
 * pause between batches so the table is never held long, at most {@link #MAX_BATCHES} batches per
 * run (the rest waits for the next run). {@link #close} stops the thread and stores what is still
 * counted. A failure is logged (the exception's class) and retried at the next run. Thread-safe.
 */
final class AuditMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditMaintenance.class);

  static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);
  static final Duration RETENTION_INTERVAL = Duration.ofHours(1);
  static final Duration FIRST_RETENTION_RUN = Duration.ofSeconds(30);
  static final int DELETE_BATCH = 1_000;
  static final int MAX_BATCHES = 1_000;
  private static final long PAUSE_BETWEEN_BATCHES_MILLIS = 20;

  private final AggregatingAuditSink counted;
  private final AuditLog log;
  private final AuditRetention retention;
  private final Clock clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "openwif-audit-maintenance");
            t.setDaemon(true);
            return t;
          });

  AuditMaintenance(
      AggregatingAuditSink counted, AuditLog log, AuditRetention retention, Clock clock) {
    this.counted = Objects.requireNonNull(counted, "counted");
    this.log = Objects.requireNonNull(log, "log");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts the timers. */
  AuditMaintenance start() {
    var unused =
        thread.scheduleWithFixedDelay(
            this::flushDue,
            FLUSH_INTERVAL.toMillis(),
            FLUSH_INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
    if (retention.keep().isPresent()) {
      var unusedToo =
          thread.scheduleWithFixedDelay(
              this::deleteExpiredLogged,
              FIRST_RETENTION_RUN.toMillis(),
              RETENTION_INTERVAL.toMillis(),
              TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void flushDue() {
    try {
      counted.flushDue();
    } catch (RuntimeException e) {
      LOG.warn("storing counted audit refusals failed: {}", e.getClass().getName());
    }
  }

  private void deleteExpiredLogged() {
    try {
      long deleted = deleteExpired();
      if (deleted > 0) {
        LOG.info("audit retention ({}): deleted {} event(s)", retention, deleted);
      }
    } catch (RuntimeException e) {
      LOG.warn("audit retention: deleting old events failed: {}", e.getClass().getName());
    }
  }

  /**
   * Deletes events older than the retention in bounded batches; returns how many. Nothing when the
   * retention is {@code forever}.
   */
  long deleteExpired() {
    if (retention.keep().isEmpty()) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(retention.keep().get());
    long total = 0;
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      int deleted = log.deleteOlderThan(cutoff, DELETE_BATCH);
      total += deleted;
      if (deleted < DELETE_BATCH) {
        break;
      }
      try {
        Thread.sleep(PAUSE_BETWEEN_BATCHES_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return total;
  }

  /** Stops the thread (waiting at most 5 s), then stores every refusal still counted. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("audit maintenance did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      counted.flush();
    } catch (RuntimeException e) {
      LOG.warn("storing counted audit refusals at shutdown failed: {}", e.getClass().getName());
    }
  }
}
