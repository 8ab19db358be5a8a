package dev.openwif.store;

import dev.openwif.federation.ConflictException;
import java.util.List;
import java.util.Optional;

/**
 * A write was refused because it would duplicate a unique value: a provider name, a rule name
 * within its provider, an id. Callers check for duplicates first; this is the backstop, raised by
 * the database: a {@link ConflictException} naming the column, with the table and key for logs.
 */
public final class UniqueViolationException extends ConflictException {
  private static final long serialVersionUID = 1L;
  private final String table;
  private final List<String> columns;

  public UniqueViolationException(String table, List<String> columns, Throwable cause) {
    super(
        Optional.of(columns.getLast()),
        "A conflicting object already exists (" + columns.getLast() + ").",
        cause);
    this.table = table;
    this.columns = List.copyOf(columns);
  }

  /** The table, e.g. {@code workload_identity_providers}. */
  public String table() {
    return table;
  }

  /** The column whose value collided, e.g. {@code name} (the last of a composite key). */
  public String column() {
    return columns.getLast();
  }

  /** Every column of the unique key, e.g. {@code [provider_id, name]}. */
  public List<String> columns() {
    return columns;
  }
}
