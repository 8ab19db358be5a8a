package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.ReplayMemory;
import dev.openwif.federation.ReplayMemory.Admission;
import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replay memory shared in PostgreSQL: first use, replay, reuse of an expired row, give-back,
 * the purge, and two stores (two nodes) on one database admitting a token once between them; on
 * SQLite the store offers none (each node keeps its own in memory).
 */
class JdbcReplayMemoryTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private StoreFixture fixture;
  private ReplayMemory memory;

  @BeforeEach
  void open() {
    fixture = new StoreFixture(StoreFixture.Backend.POSTGRESQL);
    memory = fixture.store().sharedReplayMemory(clock).orElseThrow();
  }

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  private Instant in(Duration d) {
    return clock.instant().plus(d);
  }

  @Test
  void admitWhenSameHashTwiceThenSecondReplayed() {
    assertThat(memory.admit("wip_1", "h1", in(Duration.ofMinutes(5))))
        .isEqualTo(Admission.FIRST_USE);
    assertThat(memory.admit("wip_1", "h1", in(Duration.ofMinutes(5))))
        .isEqualTo(Admission.REPLAYED);
    assertThat(memory.admit("wip_1", "h2", in(Duration.ofMinutes(5))))
        .isEqualTo(Admission.FIRST_USE);
    assertThat(memory.kind()).isEqualTo("postgresql");
  }

  @Test
  void admitWhenEarlierUseExpiredThenFirstUseAgain() {
    assertThat(memory.admit("wip_1", "h1", in(Duration.ofMinutes(1))))
        .isEqualTo(Admission.FIRST_USE);
    clock.advance(Duration.ofMinutes(2));
    assertThat(memory.admit("wip_1", "h1", in(Duration.ofMinutes(1))))
        .isEqualTo(Admission.FIRST_USE);
    assertThat(memory.admit("wip_1", "h1", in(Duration.ofMinutes(1))))
        .isEqualTo(Admission.REPLAYED);
  }

  @Test
  void admitWhenWindowAlreadyClosedThenTooLate() {
    assertThat(memory.admit("wip_1", "h1", clock.instant())).isEqualTo(Admission.TOO_LATE);
  }

  @Test
  void forgetWhenGivenBackThenTokenAdmittedAgainButALaterAdmissionIsKept() {
    Instant until = in(Duration.ofMinutes(5));
    memory.admit("wip_1", "h1", until);
    memory.forget("wip_1", "h1", until);
    assertThat(memory.admit("wip_1", "h1", until)).isEqualTo(Admission.FIRST_USE);
    memory.forget("wip_1", "h1", in(Duration.ofMinutes(7))); // not that admission: kept
    assertThat(memory.admit("wip_1", "h1", until)).isEqualTo(Admission.REPLAYED);
  }

  @Test
  void purgeExpiredWhenSomeRowsExpiredThenOnlyThoseDeleted() {
    memory.admit("wip_1", "old", in(Duration.ofMinutes(1)));
    memory.admit("wip_1", "new", in(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(2));

    assertThat(memory.purgeExpired(clock.instant())).isEqualTo(1);
    assertThat(((JdbcReplayMemory) memory).rows()).isEqualTo(1);
    assertThat(memory.admit("wip_1", "new", in(Duration.ofMinutes(1))))
        .isEqualTo(Admission.REPLAYED);
  }

  @Test
  void admitWhenTwoNodesRaceOnOneTokenThenExactlyOneFirstUse() throws Exception {
    try (JdbcFederationStore other = Stores.open(fixture.spec())) {
      ReplayMemory nodeB = other.sharedReplayMemory(clock).orElseThrow();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        for (int round = 0; round < 20; round++) {
          String hash = "race-" + round;
          Instant until = in(Duration.ofMinutes(5));
          List<Future<Admission>> results = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            ReplayMemory node = i % 2 == 0 ? memory : nodeB;
            results.add(pool.submit((Callable<Admission>) () -> node.admit("wip_1", hash, until)));
          }
          int first = 0;
          for (Future<Admission> f : results) {
            Admission a = f.get(10, TimeUnit.SECONDS);
            assertThat(a).isIn(Admission.FIRST_USE, Admission.REPLAYED);
            first += a == Admission.FIRST_USE ? 1 : 0;
          }
          assertThat(first).as("round %d", round).isEqualTo(1);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void admitWhenDatabaseUnreachableThenUnavailableNotAThrow() {
    JdbcFederationStore store = fixture.store();
    store.close();
    assertThat(memory.admit("wip_1", "h1", in(Duration.ofMinutes(5))))
        .isEqualTo(Admission.UNAVAILABLE);
  }

  /**
   * The cost the shared memory adds to an exchange of a replay-protected provider: one admission,
   * one round trip. Prints the median and 99th percentile next to the in-memory guard's; asserts
   * only a loose bound (the machine is shared).
   */
  @Test
  void admitWhenTimedThenOneRoundTripPrinted() {
    ReplayMemory inMemory = dev.openwif.exchange.ReplayGuard.inMemory(clock);
    Instant until = in(Duration.ofMinutes(5));
    for (int i = 0; i < 200; i++) { // warm up the pool, the driver and the JIT
      memory.admit("wip_1", "warm-" + i, until);
      inMemory.admit("wip_1", "warm-" + i, until);
    }
    long[] shared = new long[2_000];
    long[] local = new long[2_000];
    for (int i = 0; i < shared.length; i++) {
      long t0 = System.nanoTime();
      Admission a = memory.admit("wip_1", "timed-" + i, until);
      long t1 = System.nanoTime();
      Admission b = inMemory.admit("wip_1", "timed-" + i, until);
      long t2 = System.nanoTime();
      assertThat(a).isEqualTo(Admission.FIRST_USE);
      assertThat(b).isEqualTo(Admission.FIRST_USE);
      shared[i] = t1 - t0;
      local[i] = t2 - t1;
    }
    java.util.Arrays.sort(shared);
    java.util.Arrays.sort(local);
    System.out.printf(
        "replay admission, %d tokens: PostgreSQL median %d us, p99 %d us; in memory median %d us,"
            + " p99 %d us%n",
        shared.length,
        shared[shared.length / 2] / 1000,
        shared[shared.length * 99 / 100] / 1000,
        local[local.length / 2] / 1000,
        local[local.length * 99 / 100] / 1000);
    assertThat(shared[shared.length / 2]).isLessThan(Duration.ofMillis(50).toNanos());
  }

  @Test
  void sharedReplayMemoryWhenSqliteThenEmpty() throws Exception {
    try (StoreFixture sqlite = new StoreFixture(StoreFixture.Backend.SQLITE)) {
      assertThat(sqlite.store().sharedReplayMemory(clock)).isEmpty();
    }
  }
}
