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
 * The audit log's background work, on two daemon threads so that neither waits for the other:
 *
 * <ul>
 *   <li>{@code openwif-audit-flush}: every {@link #FLUSH_INTERVAL} it stores the counted refusals
 *       of the minutes that are over ({@link AggregatingAuditSink#flushDue}). It only queues rows
 *       on the store's sink, so it never waits on the database;
 *   <li>{@code openwif-audit-retention}: every {@link #RETENTION_INTERVAL} (first shortly after
 *       start) it deletes events older than the retention, {@link #DELETE_BATCH} rows per short
 *       transaction with a pause between batches so the table is never held long, at most {@link
 *       #MAX_BATCHES} batches per run (the rest waits for the next run). A run can take long (each
 *       batch up to the statement timeout when the rows are locked); on its own thread it never
 *       delays the flush, so counted refusals are not held back until the tallies overflow.
 * </ul>
 *
 * {@link #close} stops both threads and stores what is still counted. A failure is logged (the
 * exception's class) and retried at the next run. Thread-safe.
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
  private final Schedule schedule;
  private final ScheduledExecutorService flushThread = daemon("openwif-audit-flush");
  private final ScheduledExecutorService retentionThread = daemon("openwif-audit-retention");

  /** When the timers fire; {@link #DEFAULT_SCHEDULE} in the server, shorter in tests. */
  record Schedule(Duration flushInterval, Duration firstRetentionRun, Duration retentionInterval) {
    Schedule {
      Objects.requireNonNull(flushInterval, "flushInterval");
      Objects.requireNonNull(firstRetentionRun, "firstRetentionRun");
      Objects.requireNonNull(retentionInterval, "retentionInterval");
    }
  }

  static final Schedule DEFAULT_SCHEDULE =
      new Schedule(FLUSH_INTERVAL, FIRST_RETENTION_RUN, RETENTION_INTERVAL);

  AuditMaintenance(
      AggregatingAuditSink counted, AuditLog log, AuditRetention retention, Clock clock) {
    this(counted, log, retention, clock, DEFAULT_SCHEDULE);
  }

  AuditMaintenance(
      AggregatingAuditSink counted,
      AuditLog log,
      AuditRetention retention,
      Clock clock,
      Schedule schedule) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.counted = Objects.requireNonNull(counted, "counted");
    this.log = Objects.requireNonNull(log, "log");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /** Starts the timers. */
  AuditMaintenance start() {
    var unused =
        flushThread.scheduleWithFixedDelay(
            this::flushDue,
            schedule.flushInterval().toMillis(),
            schedule.flushInterval().toMillis(),
            TimeUnit.MILLISECONDS);
    if (retention.keep().isPresent()) {
      var unusedToo =
          retentionThread.scheduleWithFixedDelay(
              this::deleteExpiredLogged,
              schedule.firstRetentionRun().toMillis(),
              schedule.retentionInterval().toMillis(),
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

  private static void awaitStop(ScheduledExecutorService thread, String name, long deadline)
      throws InterruptedException {
    long left = Math.max(0, deadline - System.nanoTime());
    if (!thread.awaitTermination(left, TimeUnit.NANOSECONDS)) {
      LOG.warn("audit maintenance: the {} thread did not stop within 5 s", name);
    }
  }

  /**
   * Stops both threads (waiting at most 5 s in all; a retention run in progress is interrupted and
   * stops at its next pause between batches), then stores every refusal still counted.
   */
  @Override
  public void close() {
    flushThread.shutdownNow();
    retentionThread.shutdownNow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      awaitStop(flushThread, "flush", deadline);
      awaitStop(retentionThread, "retention", deadline);
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
