package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.ReplayMemory;
import dev.openwif.federation.ReplayMemory.Admission;
import dev.openwif.testkit.MutableClock;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The replay memory shared in PostgreSQL: first use, replay, reuse of an expired row, give-back,
 * the purge, and two stores (two nodes) on one database admitting a token once between them; expiry
 * by the database's clock, whatever a node's clock says; failing closed within a few seconds when
 * the table is locked or the network is cut. On SQLite the store offers none (each node keeps its
 * own in memory). Expiry is by the database's clock, so time passes here by moving the stored rows'
 * expiry back ({@link #databaseTimePasses}).
 */
@Tag("crypto-neutral")
class JdbcReplayMemoryTest {
  private final MutableClock clock = MutableClock.at(Instant.now());
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

  /**
   * What is stored now expires as it would {@code d} later: every stored expiry moves back by
   * {@code d} (the database's clock cannot be moved).
   */
  private void databaseTimePasses(Duration d) throws SQLException {
    try (Connection c = StoreFixture.postgresAdmin();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE "
              + fixture.schema()
              + ".subject_token_uses SET forget_after = forget_after - "
              + d.toMillis());
    }
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
  void admitWhenEarlierUseExpiredThenFirstUseAgain() throws Exception {
    assertThat(memory.admit("wip_1", "h1", in(Duration.ofMinutes(1))))
        .isEqualTo(Admission.FIRST_USE);
    databaseTimePasses(Duration.ofMinutes(2));
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
  void purgeExpiredWhenExpiredLessThanTheGraceThenKeptButTakenOverByANewAdmission()
      throws Exception {
    memory.admit("wip_1", "recent", in(Duration.ofMinutes(1)));
    databaseTimePasses(Duration.ofMinutes(3)); // expired 2 minutes ago by the database's clock

    assertThat(memory.purgeExpired()).isZero();
    assertThat(((JdbcReplayMemory) memory).rows()).isEqualTo(1);
    assertThat(memory.admit("wip_1", "recent", in(Duration.ofMinutes(5))))
        .isEqualTo(Admission.FIRST_USE);
  }

  @Test
  void purgeExpiredWhenSomeRowsExpiredThenOnlyThoseDeleted() throws Exception {
    memory.admit("wip_1", "old", in(Duration.ofMinutes(1)));
    memory.admit("wip_1", "new", in(Duration.ofMinutes(10)));
    databaseTimePasses(Duration.ofMinutes(7));

    assertThat(memory.purgeExpired()).isEqualTo(1);
    assertThat(((JdbcReplayMemory) memory).rows()).isEqualTo(1);
    assertThat(memory.admit("wip_1", "new", in(Duration.ofMinutes(1))))
        .isEqualTo(Admission.REPLAYED);
  }

  @Test
  void admitAndPurgeWhenNodeClockRunsHoursAheadThenRowUnexpiredByTheDatabaseKept() {
    Instant until = in(Duration.ofMinutes(10));
    assertThat(memory.admit("wip_1", "h1", until)).isEqualTo(Admission.FIRST_USE);
    MutableClock ahead = MutableClock.at(clock.instant().plus(Duration.ofHours(3)));
    ReplayMemory fastNode = fixture.store().sharedReplayMemory(ahead).orElseThrow();

    // the token again, as the fast node sees it: unexpired by its own clock too
    assertThat(fastNode.admit("wip_1", "h1", ahead.instant().plus(Duration.ofMinutes(10))))
        .isEqualTo(Admission.REPLAYED);
    assertThat(fastNode.purgeExpired()).isZero();
    assertThat(((JdbcReplayMemory) fastNode).rows()).isEqualTo(1);
    assertThat(memory.admit("wip_1", "h1", until)).isEqualTo(Admission.REPLAYED);
  }

  @Test
  void admitWhenNodeClockRunsBehindAndTokenExpiredByTheDatabaseThenTooLateAndNothingStored() {
    MutableClock behind = MutableClock.at(clock.instant().minus(Duration.ofHours(3)));
    ReplayMemory slowNode = fixture.store().sharedReplayMemory(behind).orElseThrow();
    Instant until = behind.instant().plus(Duration.ofMinutes(10)); // open by the slow clock only

    assertThat(slowNode.admit("wip_1", "h1", until)).isEqualTo(Admission.TOO_LATE);
    assertThat(slowNode.admit("wip_1", "h1", until)).isEqualTo(Admission.TOO_LATE);
    assertThat(((JdbcReplayMemory) slowNode).rows()).isZero();
  }

  @Test
  void admitWhenTableLockedThenUnavailableWithinTheStatementTimeout() throws Exception {
    assertThat(memory.admit("wip_1", "warm", in(Duration.ofMinutes(5))))
        .isEqualTo(Admission.FIRST_USE);
    try (Connection locker = StoreFixture.postgresAdmin();
        Statement lock = locker.createStatement()) {
      locker.setAutoCommit(false);
      lock.execute(
          "LOCK TABLE " + fixture.schema() + ".subject_token_uses IN ACCESS EXCLUSIVE MODE");
      long start = System.nanoTime();

      Admission locked = memory.admit("wip_1", "h1", in(Duration.ofMinutes(5)));

      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("replay admission on a locked table: %s after %d ms%n", locked, millis);
      assertThat(locked).isEqualTo(Admission.UNAVAILABLE);
      assertThat(millis).isLessThan(3_500);
      locker.rollback();
    }
    assertThat(memory.admit("wip_1", "h1", in(Duration.ofMinutes(5))))
        .isEqualTo(Admission.FIRST_USE);
  }

  /**
   * The network to the database cut (a proxy that holds the sockets open and drops every byte):
   * neither the answer nor a cancel request gets through, so only the admission pool's own socket
   * and pool-wait bounds end the wait, not the general pool's 60 s socket timeout.
   */
  @Test
  void admitWhenNetworkCutThenUnavailableWithinAboutThreeSeconds() throws Exception {
    long[] millis = admissionsWithTheNetworkCut(Duration.ZERO);

    assertThat(millis[0]).as("on the connection just used").isLessThan(4_500);
    assertThat(millis[1]).as("waiting for a new connection").isLessThan(2_500);
  }

  /** A connection idle for a while is checked before it is lent: that check is bounded too. */
  @Test
  void admitWhenNetworkCutAfterTheConnectionIdledThenUnavailableWithinAboutOneSecond()
      throws Exception {
    long[] millis = admissionsWithTheNetworkCut(Duration.ofMillis(800));

    assertThat(millis[0]).as("checking the idle connection").isLessThan(2_500);
    assertThat(millis[1]).as("waiting for a new connection").isLessThan(2_500);
  }

  /**
   * Admits one token through a proxy, waits {@code idle}, cuts the network, then times two
   * admissions, which must both be {@link Admission#UNAVAILABLE}; answers their durations in ms.
   */
  private long[] admissionsWithTheNetworkCut(Duration idle) throws Exception {
    URI target = URI.create(StoreFixture.POSTGRES_URL);
    StallingProxy proxy =
        StallingProxy.to(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort());
    String viaProxy =
        new URI(
                target.getScheme(),
                target.getUserInfo(),
                "127.0.0.1",
                proxy.port(),
                target.getPath(),
                target.getQuery(),
                null)
            + (target.getQuery() == null ? "?" : "&")
            + "currentSchema="
            + fixture.schema();
    JdbcFederationStore store = Stores.open(viaProxy);
    try {
      ReplayMemory node = store.sharedReplayMemory(clock).orElseThrow();
      assertThat(node.admit("wip_1", "before", in(Duration.ofMinutes(5))))
          .isEqualTo(Admission.FIRST_USE);
      Thread.sleep(idle.toMillis());
      proxy.stall();

      long[] millis = new long[2];
      for (int i = 0; i < millis.length; i++) {
        long start = System.nanoTime();
        Admission cut = node.admit("wip_1", "cut-" + i, in(Duration.ofMinutes(5)));
        millis[i] = (System.nanoTime() - start) / 1_000_000;
        assertThat(cut).isEqualTo(Admission.UNAVAILABLE);
      }
      System.out.printf(
          "replay admission with the network cut, connection idle %d ms: unavailable after %d ms,"
              + " the next one after %d ms%n",
          idle.toMillis(), millis[0], millis[1]);
      return millis;
    } finally {
      proxy.close(); // every socket reset: the store's pools close at once
      store.close();
    }
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
