package dev.openwif.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A page of the audit log: events whose type is in {@code types} (all when empty), that occurred in
 * [{@code since}, {@code until}), newest first, at most {@code limit} (1..100) after the event
 * {@code after}.
 */
public record AuditQuery(
    Set<String> types,
    Optional<Instant> since,
    Optional<Instant> until,
    int limit,
    Optional<String> after) {
  public AuditQuery {
    types = Set.copyOf(types);
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    if (limit < 1 || limit > 100) {
      throw new IllegalArgumentException("limit must be between 1 and 100");
    }
    Objects.requireNonNull(after, "after");
  }
}
