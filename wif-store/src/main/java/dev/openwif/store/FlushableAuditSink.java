package dev.openwif.store;

import dev.openwif.audit.AuditSink;

/**
 * An audit sink that may hold events briefly before they are stored. Thread-safe.
 *
 * <p>{@link #record} returns without waiting for the database (it blocks only when the bounded
 * queue is full, so a slow database slows callers down rather than losing events).
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

  /** Writes what is queued, then stops; events recorded afterwards are dropped with a warning. */
  @Override
  void close();
}
