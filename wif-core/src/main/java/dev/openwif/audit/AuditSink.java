package dev.openwif.audit;

/**
 * Where audit events go. Must not throw for a well-formed event; implementations are thread-safe.
 */
@FunctionalInterface
public interface AuditSink {
  void record(AuditEvent event);
}
