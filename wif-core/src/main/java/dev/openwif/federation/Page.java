package dev.openwif.federation;

import java.util.List;

/**
 * One page of a list; {@code hasMore} is always exact (the Java SDK keeps paging when it is true).
 */
public record Page<T>(List<T> data, boolean hasMore) {
  public Page {
    data = List.copyOf(data);
  }
}
