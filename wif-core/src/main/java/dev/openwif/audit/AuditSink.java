package dev.openwif.audit;

/**
 * Where audit events go. Must not throw for a well-formed event; implementations are thread-safe.
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
