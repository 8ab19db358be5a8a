package dev.openwif.usage;

import java.util.List;
import java.util.Map;

/** Stores minute usage counts. Implementations are thread-safe. */
public interface UsageRepository {
  /**
   * Adds {@code batch} to what is stored (a key already stored gets the counts added to its own),
   * all of it or, on failure, none of it.
   */
  void add(Map<UsageKey, UsageCounts> batch);

  /**
   * The totals {@code query} asks for, by bucket start, then by the grouped values; buckets and
   * groups with no calls are absent.
   */
  List<UsageTotal> totals(UsageQuery query);

  /** A repository that keeps nothing and answers nothing (for stores without usage). */
  static UsageRepository discarding() {
    return new UsageRepository() {
      @Override
      public void add(Map<UsageKey, UsageCounts> batch) {}

      @Override
      public List<UsageTotal> totals(UsageQuery query) {
        return List.of();
      }
    };
  }
}
