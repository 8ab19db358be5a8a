package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditQueueStatus;
import dev.openwif.audit.AuditUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
  void closeWhenEventsQueuedThenWritesThemAndRefusesLaterOnes() {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    BatchingAuditSink sink =
        BatchingAuditSink.start(batch -> batch.forEach(e -> stored.add(e.id())));
    for (int i = 0; i < 1000; i++) {
      sink.record(event("e" + i));
    }
    sink.close();
    assertThat(stored).hasSize(1000);
    // fail closed: a caller about to issue a token must learn that its audit event is not queued
    assertThatThrownBy(() -> sink.record(event("late")))
        .isInstanceOf(AuditUnavailableException.class)
        .hasMessageContaining("closed");
    sink.flush();
    assertThat(stored).hasSize(1000).doesNotContain("late");
    assertThat(sink.status().refused()).isEqualTo(1);
    assertThat(sink.status().lost()).isZero();
  }

  @Test
  void recordWhenRacingCloseThenEveryEventAcceptedIsStoredAndTheRestRefused() throws Exception {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    BatchingAuditSink sink =
        BatchingAuditSink.start(batch -> batch.forEach(e -> stored.add(e.id())));
    List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger refusedAfterClose = new AtomicInteger();
    CountDownLatch running = new CountDownLatch(4);
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String prefix = "t" + t + "-";
      Thread caller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    running.countDown();
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    for (int i = 0; System.nanoTime() - until < 0; i++) {
                      String id = prefix + i;
                      try {
                        sink.record(event(id));
                        accepted.add(id);
                      } catch (AuditUnavailableException closed) {
                        refusedAfterClose.incrementAndGet();
                        return; // the sink is closed: every later record is refused too
                      }
                    }
                  });
      callers.add(caller);
    }
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50);
    sink.close();
    for (Thread caller : callers) {
      caller.join(10_000);
      assertThat(caller.isAlive()).isFalse();
    }

    assertThat(refusedAfterClose).as("every caller was refused once the sink closed").hasValue(4);
    assertThat(accepted).isNotEmpty();
    // no event record() accepted is missing: an exchange racing shutdown either has its audit row
    // or is refused (503), never a token without its audit event
    assertThat(stored).containsExactlyInAnyOrderElementsOf(accepted);
    assertThat(sink.status().lost()).isZero();
  }

  private static AuditQueueSettings small(int capacity, Duration closeDrain) {
    return new AuditQueueSettings(
        capacity, Duration.ofMillis(50), closeDrain, Duration.ofMillis(100));
  }

  @Test
  void recordWhenQueueStaysFullThenRefusedWithinTheBoundAndCounted() {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    try (BatchingAuditSink sink =
        BatchingAuditSink.start(
            batch -> {
              writing.countDown();
              awaitQuietly(release);
            },
            small(2, Duration.ofSeconds(2)))) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> {
            sink.record(event("in-flight"));
            assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue(); // the writer holds it
            sink.record(event("q1"));
            sink.record(event("q2"));
            long start = System.nanoTime();
            assertThatThrownBy(() -> sink.record(event("refused")))
                .isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("audit queue full (2 of 2 events");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isBetween(40L, 1_000L);
          });
      AuditQueueStatus status = sink.status();
      assertThat(status.depth()).isEqualTo(3);
      assertThat(status.capacity()).isEqualTo(2);
      assertThat(status.refused()).isEqualTo(1);
      release.countDown();
      sink.flush();
      assertThat(sink.status().depth()).isZero();
    }
  }

  @Test
  void writeWhenDatabaseUnreachableForAWhileThenWholeBatchRetriedUntilStored() {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    long downUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
    CountDownLatch queued = new CountDownLatch(1);
    try (BatchingAuditSink sink =
        BatchingAuditSink.start(
            batch -> {
              awaitQuietly(queued);
              attempts.add(batch.size());
              if (System.nanoTime() - downUntil < 0) {
                throw new IllegalStateException(
                    new SQLTransientConnectionException("connection refused", "08001"));
              }
              batch.forEach(e -> stored.add(e.id()));
            },
            small(100, Duration.ofSeconds(2)))) {
      for (int i = 0; i < 20; i++) {
        sink.record(event("e" + i));
      }
      queued.countDown();
      assertTimeoutPreemptively(Duration.ofSeconds(10), sink::flush);
      assertThat(stored).hasSize(20);
      assertThat(sink.status().lost()).isZero();
      // retried as a batch with back-off (50, 100, 100 ... ms), never event by event: the writer
      // may have taken its first batch before all 20 were queued, so at most two batches (k and
      // 20 - k), each retried whole
      assertThat(attempts).hasSizeBetween(2, 13);
      List<Integer> batches = attempts.stream().distinct().toList();
      assertThat(batches).hasSizeBetween(1, 2);
      assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
      assertThat(attempts.subList(0, attempts.size() - 1)).allMatch(n -> n.equals(batches.get(0)));
    }
  }

  @Test
  void writeWhenOneEventIsRefusedForGoodThenIsolatedQuicklyCountedAndTheRestStored() {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch queued = new CountDownLatch(1);
    try (BatchingAuditSink sink =
        BatchingAuditSink.start(
            batch -> {
              awaitQuietly(queued);
              calls.incrementAndGet();
              if (batch.stream().anyMatch(e -> e.id().equals("bad"))) {
                throw new IllegalStateException(new SQLException("value too long", "22001"));
              }
              batch.forEach(e -> stored.add(e.id()));
            },
            small(1000, Duration.ofSeconds(2)))) {
      for (int i = 0; i < 256; i++) {
        sink.record(event(i == 100 ? "bad" : "e" + i));
      }
      queued.countDown();
      assertTimeoutPreemptively(Duration.ofSeconds(10), sink::flush);
      assertThat(stored).hasSize(255).doesNotContain("bad");
      assertThat(sink.status().lost()).isEqualTo(1);
      // halving isolates it: about 2 writes per level, not one write per event
      assertThat(calls.get()).isLessThan(40);
    }
  }

  @Test
  void writerWhenStoreThrowsAnErrorThenRestartedAndAuditingGoesOn() {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger calls = new AtomicInteger();
    try (BatchingAuditSink sink =
        BatchingAuditSink.start(
            batch -> {
              if (calls.getAndIncrement() == 0) {
                throw new StackOverflowError("driver blew up");
              }
              batch.forEach(e -> stored.add(e.id()));
            },
            small(100, Duration.ofSeconds(2)))) {
      sink.record(event("first"));
      assertTimeoutPreemptively(Duration.ofSeconds(10), sink::flush);
      sink.record(event("second"));
      assertTimeoutPreemptively(Duration.ofSeconds(10), sink::flush);
      assertThat(stored).containsExactly("first", "second");
      assertThat(sink.status().writerRestarts()).isEqualTo(1);
      assertThat(sink.status().lost()).isZero();
    }
  }

  @Test
  void writerWhenRuntimeExceptionNotFromTheDatabaseThenEventIsolatedAndWriterKeepsGoing() {
    List<String> stored = Collections.synchronizedList(new ArrayList<>());
    try (BatchingAuditSink sink =
        BatchingAuditSink.start(
            batch -> {
              if (batch.stream().anyMatch(e -> e.id().equals("npe"))) {
                throw new NullPointerException("bug");
              }
              batch.forEach(e -> stored.add(e.id()));
            },
            small(100, Duration.ofSeconds(2)))) {
      sink.record(event("npe"));
      sink.record(event("after"));
      assertTimeoutPreemptively(Duration.ofSeconds(10), sink::flush);
      assertThat(stored).containsExactly("after");
      assertThat(sink.status().lost()).isEqualTo(1);
    }
  }

  @Test
  void closeWhenDatabaseStaysDownThenDrainIsBoundedAndLossCounted() {
    BatchingAuditSink sink =
        BatchingAuditSink.start(
            batch -> {
              throw new IllegalStateException(new SQLException("terminating connection", "57P01"));
            },
            small(100, Duration.ofMillis(300)));
    for (int i = 0; i < 5; i++) {
      sink.record(event("e" + i));
    }
    long start = System.nanoTime();
    assertTimeoutPreemptively(Duration.ofSeconds(3), sink::close);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
    assertThat(sink.status().lost()).isEqualTo(5);
    assertThat(sink.status().depth()).isZero();
  }

  @Test
  void closeWhenWriterBlockedInTheDatabaseThenReturnsAfterTheBound() {
    CountDownLatch never = new CountDownLatch(1);
    BatchingAuditSink sink =
        BatchingAuditSink.start(
            batch -> awaitUninterruptibly(never), small(100, Duration.ofMillis(300)));
    for (int i = 0; i < 3; i++) {
      sink.record(event("e" + i));
    }
    assertTimeoutPreemptively(Duration.ofSeconds(3), sink::close);
    assertThat(sink.status().lost()).isEqualTo(3);
    never.countDown();
  }

  /** A driver call that ignores interrupts, as a blocked socket read does. */
  private static void awaitUninterruptibly(CountDownLatch latch) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (latch.getCount() > 0 && System.nanoTime() < deadline) {
      try {
        latch.await(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // ignored on purpose
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
