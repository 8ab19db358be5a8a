package dev.openwif.federation;

import java.util.Objects;
import java.util.Optional;

/**
 * A cursor page request as the admin API takes it: at most {@code limit} (1..100) items after the
 * item with id {@code after}, in creation order ({@code asc}) or its reverse ({@code desc}).
 */
public record PageRequest(int limit, Optional<String> after, SortOrder order) {
  public enum SortOrder {
    ASC,
    DESC
  }

  public PageRequest {
    if (limit < 1 || limit > 100) {
      throw new IllegalArgumentException("limit must be between 1 and 100");
    }
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(order, "order");
  }

  public static PageRequest first(int limit) {
    return new PageRequest(limit, Optional.empty(), SortOrder.ASC);
  }
}
