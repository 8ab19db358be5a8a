package dev.openwif.store;

import dev.openwif.audit.AuditQueueStatus;
import dev.openwif.audit.AuditSink;

/**
 * An audit sink that may hold events briefly before they are stored. Thread-safe.
 *
 * <p>{@link #record} returns without waiting for the database. When the bounded queue is full it
 * waits a short, bounded time for room, then throws {@link
 * dev.openwif.audit.AuditUnavailableException}: a stalled database makes requests fail closed and
 * fast instead of hanging.
 */
public interface FlushableAuditSink extends AuditSink, AutoCloseable {
  /**
   * Returns once every event recorded before this call has been written (or, if the database
   * refused it, logged as lost).
   *
   * @throws IllegalStateException if the writer did not get there within 30 seconds
   */
  @Override
  void flush();

  /** The queue's depth and counters, cheap to read (the admin status route, metrics). */
  AuditQueueStatus status();

  /**
   * Writes what is queued within a bounded time (events still queued then are counted lost and
   * logged), then stops; {@link #record} called afterwards throws {@link
   * dev.openwif.audit.AuditUnavailableException} (the caller fails closed).
   */
  @Override
  void close();
}
