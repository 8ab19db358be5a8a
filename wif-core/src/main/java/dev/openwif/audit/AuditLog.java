package dev.openwif.audit;

import java.util.List;

/** The queryable side of the audit store. Implementations are thread-safe. */
public interface AuditLog {
  /**
   * Matching events, newest first; {@code hasMore} exact. A cursor ({@code after}) that names no
   * event is refused with the federation's validation exception naming {@code after}.
   */
  Result list(AuditQuery query);

  record Result(List<AuditEvent> data, boolean hasMore) {
    public Result {
      data = List.copyOf(data);
    }
  }
}
