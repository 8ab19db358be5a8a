package dev.openwif.usage;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The counts of one bucket for one combination of the grouped dimensions' values ({@code groups}
 * holds exactly the query's {@code groupBy} dimensions). Immutable.
 */
public record UsageTotal(
    Instant bucketStart, Map<UsageDimension, String> groups, UsageCounts counts) {
  public UsageTotal {
    Objects.requireNonNull(bucketStart, "bucketStart");
    Objects.requireNonNull(counts, "counts");
    groups = groups.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(groups));
  }
}
