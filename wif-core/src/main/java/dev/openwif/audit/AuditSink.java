package dev.openwif.audit;

/**
 * Where audit events go. Implementations are thread-safe. {@link #record} does not throw for a
 * well-formed event except {@link AuditUnavailableException}, when an asynchronous sink cannot take
 * the event within its short bound (its queue is full): the caller then fails closed.
 */
@FunctionalInterface
public interface AuditSink {
  void record(AuditEvent event);

  /**
   * Returns once every event recorded before this call is stored, so that an audit query made next
   * sees it. A sink that stores each event before {@link #record} returns has nothing to wait for.
   */
  default void flush() {}
}
