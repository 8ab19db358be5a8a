package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.AggregatingAuditSink;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditQuery;
import dev.openwif.audit.ReasonCode;
import dev.openwif.store.JdbcFederationStore;
import dev.openwif.store.Stores;
import dev.openwif.testkit.MutableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a real PostgreSQL: the retention deletion is slow (a second connection holds the old audit
 * rows with {@code SELECT ... FOR UPDATE}, so the {@code DELETE} waits on their row locks), and
 * meanwhile refusals are counted. The counted rows of a finished minute must still be stored within
 * a few flush intervals: the flush never waits behind retention. Before the fix both ran on one
 * thread and the counted rows waited for the deletion to end.
 */
class AuditRetentionStallIT {
  private static final String POSTGRES_URL =
      System.getenv()
          .getOrDefault("WIF_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:10Z");
  private static final Duration FLUSH_INTERVAL = Duration.ofMillis(250);

  /** A generous bound for a loaded machine, still far below the time the deletion is held. */
  private static final Duration STORED_WITHIN = Duration.ofSeconds(4);

  private static final int OLD_EVENTS = 20;

  private String schema;
  private JdbcFederationStore store;
  private final MutableClock clock = MutableClock.at(NOW);

  @BeforeEach
  void createSchema() throws SQLException {
    schema = "wif_retention_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (store != null) {
      store.close();
    }
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static AuditEvent.ExchangeAttempt refusal(String id, Instant at, String address) {
    return new AuditEvent.ExchangeAttempt(
        id,
        at,
        Optional.of(ReasonCode.INVALID_REQUEST),
        "bad body",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(address));
  }

  @Test
  void retentionWhenItsDeleteIsHeldByRowLocksThenCountedRefusalsAreStillStoredOnTime()
      throws Exception {
    store =
        Stores.open(
            POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    for (int i = 0; i < OLD_EVENTS; i++) {
      store
          .auditSink()
          .record(refusal("old" + i, NOW.minus(Duration.ofDays(100)).plusSeconds(i), "192.0.2.9"));
    }
    store.auditSink().flush();
    AggregatingAuditSink counted = new AggregatingAuditSink(store.auditSink(), clock, 100);
    AuditMaintenance.Schedule fast =
        new AuditMaintenance.Schedule(FLUSH_INTERVAL, Duration.ZERO, Duration.ofHours(1));

    try (Connection locker = admin()) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        s.execute("SET search_path TO " + schema);
        try (ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE occurred_at < "
                    + NOW.minus(Duration.ofDays(90)).toEpochMilli()
                    + " FOR UPDATE) held")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(OLD_EVENTS);
        }
      }
      AuditMaintenance maintenance =
          new AuditMaintenance(counted, store.auditLog(), AuditRetention.parse("90d"), clock, fast)
              .start();
      try {
        assertThat(waitUntil(Duration.ofSeconds(10), this::deleteWaitsOnALock))
            .as("the retention DELETE waits on the held row locks")
            .isTrue();

        for (int i = 0; i < 5; i++) {
          counted.record(refusal("r" + i, NOW, "198.51.100.7"));
        }
        clock.advance(Duration.ofMinutes(1)); // the minute of those refusals is over
        long start = System.nanoTime();
        boolean stored = waitUntil(STORED_WITHIN, () -> countedRowOf("198.51.100.7") == 5);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(stored)
            .as("counted refusals stored within %s while retention is held", STORED_WITHIN)
            .isTrue();
        assertThat(deleteWaitsOnALock())
            .as("the deletion was still held when they were stored")
            .isTrue();
        assertThat(tookMillis).isLessThan(STORED_WITHIN.toMillis());

        locker.rollback(); // the deletion proceeds
        assertThat(waitUntil(Duration.ofSeconds(10), () -> oldEventsLeft() == 0))
            .as("retention deletes the old events once the locks are released")
            .isTrue();
        assertThat(countedRowOf("198.51.100.7")).isEqualTo(5);
      } finally {
        maintenance.close();
      }
    }
  }

  /** The count of the stored counted row for that address; 0 when none is stored yet. */
  private long countedRowOf(String address) {
    List<AuditEvent> events = recent();
    return events.stream()
        .filter(
            e ->
                e instanceof AuditEvent.ExchangeAttempt a
                    && a.clientAddress().equals(Optional.of(address)))
        .mapToLong(e -> ((AuditEvent.ExchangeAttempt) e).count())
        .sum();
  }

  private long oldEventsLeft() {
    return recent().stream().filter(e -> e.id().startsWith("old")).count();
  }

  private List<AuditEvent> recent() {
    return store
        .auditLog()
        .list(new AuditQuery(Set.of(), Optional.empty(), Optional.empty(), 100, Optional.empty()))
        .data();
  }

  private boolean deleteWaitsOnALock() {
    try (Connection c = admin();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE 'DELETE FROM audit_log%' AND datname = current_database()")) {
      return rs.next() && rs.getInt(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean waitUntil(Duration bound, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  private static Connection admin() throws SQLException {
    String rest = POSTGRES_URL.replaceFirst("^postgres(ql)?://", "");
    int at = rest.indexOf('@');
    String user = at < 0 ? null : rest.substring(0, at);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + rest.substring(at + 1), user, (String) null);
  }
}
