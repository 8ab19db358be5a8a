package dev.openwif.bench.soak;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of requests by traffic class, kind, outcome and whether they started inside a fault
 * window, plus the latencies of answered requests per class (at most {@link #MAX_LATENCIES} each).
 * Thread-safe.
 */
final class Tally {
  static final int MAX_LATENCIES = 500_000;

  /** One cell of the tally. */
  record Key(String traffic, String kind, Outcome outcome, boolean inWindow)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return toString().compareTo(o.toString());
    }
  }

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();

  void count(String traffic, String kind, Outcome outcome, boolean inWindow, long micros) {
    counts
        .computeIfAbsent(new Key(traffic, kind, outcome, inWindow), k -> new LongAdder())
        .increment();
    if (outcome.answered()) {
      List<Long> list =
          latencies.computeIfAbsent(traffic, t -> Collections.synchronizedList(new ArrayList<>()));
      if (list.size() < MAX_LATENCIES) {
        list.add(micros);
      }
    }
  }

  /** Every cell, sorted. */
  Map<Key, Long> snapshot() {
    Map<Key, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** The sum over the cells this filter selects. */
  long sum(java.util.function.Predicate<Key> filter) {
    long total = 0;
    for (Map.Entry<Key, LongAdder> e : counts.entrySet()) {
      if (filter.test(e.getKey())) {
        total += e.getValue().sum();
      }
    }
    return total;
  }

  /** Latency percentiles (p50, p99, max) in milliseconds for a traffic class, empty if none. */
  double[] percentilesMillis(String traffic) {
    List<Long> list = latencies.get(traffic);
    if (list == null) {
      return new double[0];
    }
    List<Long> sorted;
    synchronized (list) {
      sorted = new ArrayList<>(list);
    }
    if (sorted.isEmpty()) {
      return new double[0];
    }
    Collections.sort(sorted);
    return new double[] {
      at(sorted, 0.50) / 1000.0, at(sorted, 0.99) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0
    };
  }

  private static long at(List<Long> sorted, double q) {
    int index = (int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()));
    return sorted.get(index);
  }
}
