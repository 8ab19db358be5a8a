package dev.openwif.bench.micro;

import dev.openwif.exchange.ReplayGuard;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.ReplayMemory;
import dev.openwif.store.Stores;
import dev.openwif.testkit.MutableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What replay protection costs an exchange: one admission of a subject token never seen before, in
 * the in-memory guard of a single SQLite node and in the table {@code subject_token_uses} several
 * nodes share on PostgreSQL (one auto-committed insert-if-absent, one round trip). The PostgreSQL
 * case needs the local server ({@code $WIF_BENCH_POSTGRES_URL}, default {@code
 * postgresql://postgres@127.0.0.1:5432/test}); it works in a schema of its own, dropped afterwards.
 * Run with {@code bench/run-micro-bench.sh ReplayMemoryBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReplayMemoryBenchmark {
  private static final String POSTGRES_URL =
      System.getenv()
          .getOrDefault("WIF_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");

  @Param({"in-memory", "postgresql"})
  public String memory = "in-memory";

  private final AtomicLong next = new AtomicLong();
  private final String prefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

  /**
   * The in-memory guard's time: one millisecond passes per admission, and a token is remembered for
   * 50 s, so the guard holds about 50,000 tokens in its steady state (under its bound of 100,000
   * per provider) and sweeps as it would in a server.
   */
  private final MutableClock stepping = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));

  private ReplayMemory replay = ReplayGuard.inMemory(stepping);
  private @Nullable FederationStore store;
  private @Nullable String schema;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    if (memory.equals("in-memory")) {
      replay = ReplayGuard.inMemory(stepping);
      return;
    }
    String name = "wif_bench_" + prefix;
    schema = name;
    admin("CREATE SCHEMA " + name);
    FederationStore opened =
        Stores.open(
            POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + name);
    store = opened;
    replay = opened.sharedReplayMemory(Clock.systemUTC()).orElseThrow();
  }

  /** One admission of a token never seen before: the exchange's replay check. */
  @Benchmark
  public ReplayMemory.Admission admitFirstUse() {
    Instant forgetAfter =
        store == null
            ? stepping.advance(Duration.ofMillis(1)).plus(Duration.ofSeconds(50))
            : Instant.now().plus(Duration.ofHours(1));
    ReplayMemory.Admission admission =
        replay.admit("wip_bench", prefix + Long.toHexString(next.incrementAndGet()), forgetAfter);
    if (admission != ReplayMemory.Admission.FIRST_USE) {
      throw new IllegalStateException("a new token was not admitted: " + admission);
    }
    return admission;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    FederationStore opened = store;
    if (opened != null) {
      opened.close();
      admin("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static void admin(String sql) throws SQLException {
    String jdbc = "jdbc:" + POSTGRES_URL.replaceFirst("^postgresql://[^@/]*@", "postgresql://");
    String user = POSTGRES_URL.replaceFirst("^postgresql://([^@:/]*).*$", "$1");
    try (Connection c = DriverManager.getConnection(jdbc, user, null);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
