package dev.openwif.cli.apply;

import java.util.List;

/**
 * What {@code wif apply} would do, in the order it does it: creations and changes (projects,
 * service accounts, providers, rules), then deletions (rules before providers). Immutable.
 */
public record Plan(List<Change> changes) {
  public Plan {
    changes = List.copyOf(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** How many changes are of {@code type}. */
  public long count(Class<? extends Change> type) {
    return changes.stream().filter(type::isInstance).count();
  }
}
