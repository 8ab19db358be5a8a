package dev.openwif.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class UsageCounterTest {
  private static final Instant MINUTE = Instant.parse("2026-12-06T01:02:00Z");

  /** Sums what it is given, like the database's UPSERT. */
  private static final class SummingRepository implements UsageRepository {
    final Map<UsageKey, UsageCounts> stored = new HashMap<>();
    volatile boolean failing;
    int batches;

    @Override
    public synchronized void add(Map<UsageKey, UsageCounts> batch) {
      if (failing) {
        throw new IllegalStateException("database down");
      }
      batches++;
      batch.forEach((k, c) -> stored.merge(k, c, UsageCounts::plus));
    }

    @Override
    public List<UsageTotal> totals(UsageQuery query) {
      return List.of();
    }

    synchronized UsageCounts total() {
      return stored.values().stream().reduce(UsageCounts.ZERO, UsageCounts::plus);
    }
  }

  private static UsageKey key(String model) {
    return new UsageKey(MINUTE, "proj_1", "sa_1", "wip_1", model, "2xx");
  }

  @Test
  void flushWhenCallsRecordedThenOneBatchWithTheSums() {
    SummingRepository repository = new SummingRepository();
    UsageCounter counter = new UsageCounter(repository, 100);
    counter.record(key("a"), UsageCounts.oneCall(10, 1));
    counter.record(key("a"), UsageCounts.oneCall(5, 2));
    counter.record(key("b"), UsageCounts.oneCall(0, 0));

    assertThat(counter.flush()).isEqualTo(2);
    assertThat(repository.batches).isEqualTo(1);
    assertThat(repository.stored)
        .containsEntry(key("a"), new UsageCounts(2, 15, 3))
        .containsEntry(key("b"), new UsageCounts(1, 0, 0));
    assertThat(counter.pendingKeys()).isZero();
    assertThat(counter.flush()).isZero();
    assertThat(repository.batches).isEqualTo(1);
  }

  @Test
  void flushWhenRepositoryFailsThenKeptForTheNextFlush() {
    SummingRepository repository = new SummingRepository();
    UsageCounter counter = new UsageCounter(repository, 100);
    counter.record(key("a"), UsageCounts.oneCall(10, 1));
    repository.failing = true;
    assertThatThrownBy(counter::flush).hasMessage("database down");
    counter.record(key("a"), UsageCounts.oneCall(1, 1));
    repository.failing = false;

    counter.flush();

    assertThat(repository.stored).containsExactly(Map.entry(key("a"), new UsageCounts(2, 11, 2)));
  }

  @Test
  void recordWhenTooManyKeysPendingThenNewKeysDroppedAndCounted() {
    SummingRepository repository = new SummingRepository();
    UsageCounter counter = new UsageCounter(repository, 2);
    assertThat(counter.record(key("a"), UsageCounts.oneCall(1, 1))).isTrue();
    assertThat(counter.record(key("b"), UsageCounts.oneCall(1, 1))).isTrue();
    assertThat(counter.record(key("c"), UsageCounts.oneCall(1, 1))).isFalse();
    assertThat(counter.record(key("a"), UsageCounts.oneCall(1, 1))).isTrue();

    assertThat(counter.droppedCalls()).isEqualTo(1);
    counter.flush();
    assertThat(repository.total()).isEqualTo(new UsageCounts(3, 3, 3));
  }

  @Test
  void recordWhenConcurrentWithFlushesThenNothingLostNorCountedTwice() throws Exception {
    SummingRepository repository = new SummingRepository();
    UsageCounter counter = new UsageCounter(repository, 1000);
    int threads = 8;
    int calls = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean recording = new AtomicBoolean(true);
      Future<?> flusher =
          pool.submit(
              () -> {
                start.await();
                while (recording.get()) {
                  counter.flush();
                }
                return null;
              });
      List<Future<?>> writers =
          java.util.stream.IntStream.range(0, threads)
              .<Future<?>>mapToObj(
                  t ->
                      pool.submit(
                          () -> {
                            start.await();
                            for (int i = 0; i < calls; i++) {
                              counter.record(key("m" + (i % 7)), UsageCounts.oneCall(3, 5));
                            }
                            return null;
                          }))
              .toList();
      start.countDown();
      for (Future<?> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
      recording.set(false);
      flusher.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    counter.flush();

    long n = (long) threads * calls;
    assertThat(repository.total()).isEqualTo(new UsageCounts(n, 3 * n, 5 * n));
  }

  @Test
  void keyWhenMinuteNotWholeOrModelLongThenRefusedOrCut() {
    assertThatThrownBy(() -> new UsageKey(MINUTE.plusSeconds(1), "p", "s", "w", "m", "2xx"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new UsageKey(MINUTE, "p", "s", "w", "x".repeat(500), "2xx").model())
        .hasSize(UsageKey.MAX_MODEL);
    assertThat(UsageKey.statusClass(200)).isEqualTo("2xx");
    assertThat(UsageKey.statusClass(429)).isEqualTo("4xx");
    assertThat(UsageKey.statusClass(504)).isEqualTo("5xx");
  }
}
