package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.AuditEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchingAuditSinkTest {

  private static AuditEvent event(String id) {
    return JdbcAuditLogTest.admin(id, at(0), "project.created");
  }

  @Test
  void flushWhenWriterIsSlowThenWaitsForEveryEarlierEvent() throws Exception {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch release = new CountDownLatch(1);
    try (BatchingAuditSink sink =
        BatchingAuditSink.start(
            batch -> {
              awaitQuietly(release);
              batch.forEach(e -> stored.add(e.id()));
            })) {
      for (int i = 0; i < 50; i++) {
        sink.record(event("e" + i));
      }
      assertThat(stored).isEmpty();
      release.countDown();
      sink.flush();
      assertThat(stored).hasSize(50).startsWith("e0", "e1").endsWith("e49");
    }
  }

  @Test
  void recordWhenBatchRefusedThenRetriedOneByOneAndOnlyTheBadEventLost() {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch hold = new CountDownLatch(1);
    try (BatchingAuditSink sink =
        BatchingAuditSink.start(
            batch -> {
              awaitQuietly(hold);
              if (batch.stream().anyMatch(e -> e.id().equals("bad"))) {
                throw new IllegalStateException("refused");
              }
              batch.forEach(e -> stored.add(e.id()));
            })) {
      sink.record(event("a"));
      sink.record(event("bad"));
      sink.record(event("b"));
      hold.countDown();
      sink.flush();
      assertThat(stored).containsExactlyInAnyOrder("a", "b");
    }
  }

  @Test
  void closeWhenEventsQueuedThenWritesThemAndDropsLaterOnes() {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    BatchingAuditSink sink =
        BatchingAuditSink.start(batch -> batch.forEach(e -> stored.add(e.id())));
    for (int i = 0; i < 1000; i++) {
      sink.record(event("e" + i));
    }
    sink.close();
    assertThat(stored).hasSize(1000);
    sink.record(event("late"));
    sink.flush();
    assertThat(stored).hasSize(1000).doesNotContain("late");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
