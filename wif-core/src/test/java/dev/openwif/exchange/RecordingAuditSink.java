package dev.openwif.exchange;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every recorded event, for asserting the "one audit event per attempt" contract.
 * Thread-safe.
 */
final class RecordingAuditSink implements AuditSink {
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void record(AuditEvent event) {
    events.add(event);
  }

  List<AuditEvent> events() {
    return List.copyOf(events);
  }

  List<AuditEvent.ExchangeAttempt> attempts() {
    return events.stream()
        .filter(AuditEvent.ExchangeAttempt.class::isInstance)
        .map(AuditEvent.ExchangeAttempt.class::cast)
        .toList();
  }
}
