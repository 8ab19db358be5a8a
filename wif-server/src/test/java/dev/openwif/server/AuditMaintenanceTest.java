package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.AggregatingAuditSink;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditQuery;
import dev.openwif.audit.ReasonCode;
import dev.openwif.federation.FederationStore;
import dev.openwif.store.Stores;
import dev.openwif.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention deletes in bounded batches on a real SQLite store; close stores what is counted. */
class AuditMaintenanceTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at(NOW);
  private FederationStore store;
  private AggregatingAuditSink counted;

  @BeforeEach
  void open() {
    store = Stores.open(dir.resolve("wif.db").toString());
    counted = new AggregatingAuditSink(store.auditSink(), clock, 100);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static AuditEvent.ExchangeAttempt refusal(String id, Instant at) {
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
        Optional.of("192.0.2.1"));
  }

  private List<String> ids() {
    return store
        .auditLog()
        .list(new AuditQuery(Set.of(), Optional.empty(), Optional.empty(), 100, Optional.empty()))
        .data()
        .stream()
        .map(AuditEvent::id)
        .toList();
  }

  @Test
  void deleteExpiredWhenAnOldBacklogThenAllOlderEventsGoInBatchesAndNewerStay() {
    int old = AuditMaintenance.DELETE_BATCH * 2 + 500;
    for (int i = 0; i < old; i++) {
      store.auditSink().record(refusal("old" + i, NOW.minus(Duration.ofDays(31)).plusSeconds(i)));
    }
    store.auditSink().record(refusal("edge", NOW.minus(Duration.ofDays(30)).plusSeconds(1)));
    store.auditSink().record(refusal("new", NOW));
    store.auditSink().flush();
    AuditMaintenance maintenance =
        new AuditMaintenance(counted, store.auditLog(), AuditRetention.parse("30d"), clock);

    assertThat(maintenance.deleteExpired()).isEqualTo(old);
    assertThat(ids()).containsExactly("new", "edge");
    assertThat(maintenance.deleteExpired()).isZero();
  }

  @Test
  void deleteExpiredWhenForeverThenNothingIsDeleted() {
    store.auditSink().record(refusal("ancient", Instant.EPOCH));
    store.auditSink().flush();
    AuditMaintenance maintenance =
        new AuditMaintenance(counted, store.auditLog(), AuditRetention.forever(), clock);

    assertThat(maintenance.deleteExpired()).isZero();
    assertThat(ids()).containsExactly("ancient");
  }

  @Test
  void closeWhenRefusalsAreBeingCountedThenTheyAreStored() {
    AuditMaintenance maintenance =
        new AuditMaintenance(counted, store.auditLog(), AuditRetention.defaults(), clock).start();
    for (int i = 0; i < 7; i++) {
      counted.record(refusal("r" + i, NOW));
    }
    maintenance.close();

    List<AuditEvent> events =
        store
            .auditLog()
            .list(
                new AuditQuery(Set.of(), Optional.empty(), Optional.empty(), 100, Optional.empty()))
            .data();
    assertThat(events).hasSize(1);
    assertThat(((AuditEvent.ExchangeAttempt) events.get(0)).count()).isEqualTo(7);
  }
}
