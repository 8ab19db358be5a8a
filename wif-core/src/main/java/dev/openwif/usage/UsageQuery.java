package dev.openwif.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A question to the usage store: the minutes in [{@code start}, {@code end}), summed per bucket of
 * {@code bucketWidth} (buckets start at whole multiples of the width since the epoch) and per value
 * of each {@code groupBy} dimension, keeping only the keys whose values are among {@code filters}'
 * for each filtered dimension. Immutable.
 */
public record UsageQuery(
    Instant start,
    Instant end,
    Duration bucketWidth,
    Set<UsageDimension> groupBy,
    Map<UsageDimension, Set<String>> filters) {
  public UsageQuery {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(bucketWidth, "bucketWidth");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end must be after start");
    }
    if (bucketWidth.toMinutes() < 1
        || !bucketWidth.equals(Duration.ofMinutes(bucketWidth.toMinutes()))) {
      throw new IllegalArgumentException("bucketWidth must be whole minutes");
    }
    groupBy = groupBy.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(groupBy));
    Map<UsageDimension, Set<String>> copy = new EnumMap<>(UsageDimension.class);
    filters.forEach(
        (dimension, values) -> {
          if (values.isEmpty()) {
            throw new IllegalArgumentException("a filter needs at least one value: " + dimension);
          }
          copy.put(dimension, Set.copyOf(values));
        });
    filters = Map.copyOf(copy);
  }

  /** The start of the bucket {@code minute} falls in. */
  public Instant bucketOf(Instant minute) {
    long width = bucketWidth.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(minute.getEpochSecond(), width) * width);
  }
}
