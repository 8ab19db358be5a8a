package dev.openwif.audit;

import java.time.Instant;
import java.util.List;

/** The queryable side of the audit store. Implementations are thread-safe. */
public interface AuditLog {
  /**
   * Matching events, newest first; {@code hasMore} exact. A cursor ({@code after}) that names no
   * event is refused with the federation's validation exception naming {@code after}.
   */
  Result list(AuditQuery query);

  /**
   * Deletes at most {@code limit} of the oldest events that occurred before {@code cutoff}, in one
   * short transaction, and returns how many it deleted: a caller deletes a large backlog in bounded
   * batches, never holding the table for long.
   *
   * @param limit at least 1
   */
  int deleteOlderThan(Instant cutoff, int limit);

  record Result(List<AuditEvent> data, boolean hasMore) {
    public Result {
      data = List.copyOf(data);
    }
  }
}
