package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditEvent.AdminChange;
import dev.openwif.audit.AuditEvent.ExchangeAttempt;
import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditQuery;
import dev.openwif.audit.ReasonCode;
import dev.openwif.federation.AdminValidationException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

class JdbcAuditLogTest {

  static AdminChange admin(String id, Instant at, String type) {
    return new AdminChange(
        id, at, type, "key_1", "wip_1", "{\"id\":\"wip_1\",\"changes_requested\":{}}");
  }

  static ExchangeAttempt succeeded(String id, Instant at) {
    return new ExchangeAttempt(
        id,
        at,
        Optional.empty(),
        "",
        Optional.of("wip_1"),
        Optional.of("wifr_1"),
        Optional.of("sa_1"),
        Optional.of("1234567890"),
        Optional.of("ab".repeat(32)),
        Optional.of("jti-1"),
        Optional.of("127.0.0.1"));
  }

  static ExchangeAttempt failed(String id, Instant at) {
    return new ExchangeAttempt(
        id,
        at,
        Optional.of(ReasonCode.AUDIENCE_MISMATCH),
        "aud was [x], provider expects y",
        Optional.of("wip_1"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  static AuditQuery query(
      Set<String> types, Instant since, Instant until, int limit, String after) {
    return new AuditQuery(
        types,
        Optional.ofNullable(since),
        Optional.ofNullable(until),
        limit,
        Optional.ofNullable(after));
  }

  private static List<String> ids(AuditLog.Result result) {
    return result.data().stream().map(AuditEvent::id).toList();
  }

  @StoreTest
  void listWhenRecordedThenEveryKindRoundTripsNewestFirst(JdbcFederationStore store) {
    var events =
        List.of(
            admin("e1", at(0), "workload_identity_provider.created"),
            succeeded("e2", at(1)),
            failed("e3", at(2)));
    events.forEach(store.auditSink()::record);

    var result = store.auditLog().list(query(Set.of(), null, null, 10, null));

    assertThat(result.data()).containsExactly(events.get(2), events.get(1), events.get(0));
    assertThat(result.hasMore()).isFalse();
    assertThat(result.data().get(0).type()).isEqualTo(ExchangeAttempt.FAILED);
    assertThat(result.data().get(1).type()).isEqualTo(ExchangeAttempt.SUCCEEDED);
  }

  @StoreTest
  void listWhenSameMillisecondThenNewestRecordedFirst(JdbcFederationStore store) {
    for (int i = 0; i < 5; i++) {
      store.auditSink().record(admin("same_" + i, at(0), "project.created"));
    }
    assertThat(ids(store.auditLog().list(query(Set.of(), null, null, 10, null))))
        .containsExactly("same_4", "same_3", "same_2", "same_1", "same_0");
    assertThat(ids(store.auditLog().list(query(Set.of(), null, null, 2, "same_3"))))
        .containsExactly("same_2", "same_1");
  }

  @StoreTest
  void listWhenFilteredByTypesAndHalfOpenTimeRangeThenOnlyMatching(JdbcFederationStore store) {
    store.auditSink().record(admin("a0", at(0), "workload_identity_provider.created"));
    store.auditSink().record(failed("x1", at(1)));
    store.auditSink().record(admin("a2", at(2), "workload_identity_provider_mapping.created"));
    store.auditSink().record(succeeded("x3", at(3)));
    store.auditSink().record(failed("x4", at(4)));

    assertThat(
            ids(store.auditLog().list(query(Set.of(ExchangeAttempt.FAILED), null, null, 10, null))))
        .containsExactly("x4", "x1");
    assertThat(
            ids(
                store
                    .auditLog()
                    .list(
                        query(
                            Set.of(
                                ExchangeAttempt.FAILED,
                                "workload_identity_provider_mapping.created"),
                            null,
                            null,
                            10,
                            null))))
        .containsExactly("x4", "a2", "x1");
    assertThat(ids(store.auditLog().list(query(Set.of(), at(1), at(4), 10, null))))
        .containsExactly("x3", "a2", "x1");
    assertThat(
            ids(
                store
                    .auditLog()
                    .list(query(Set.of(), at(1).plusMillis(1), at(4).plusMillis(1), 10, null))))
        .containsExactly("x4", "x3", "a2");
    assertThat(ids(store.auditLog().list(query(Set.of("no.such.type"), null, null, 10, null))))
        .isEmpty();
  }

  @StoreTest
  void listWhenPagedThenHasMoreExactAtBoundaries(JdbcFederationStore store) {
    for (int i = 0; i < 4; i++) {
      store.auditSink().record(succeeded("x" + i, at(i)));
    }
    var first = store.auditLog().list(query(Set.of(), null, null, 2, null));
    assertThat(ids(first)).containsExactly("x3", "x2");
    assertThat(first.hasMore()).isTrue();
    var second = store.auditLog().list(query(Set.of(), null, null, 2, "x2"));
    assertThat(ids(second)).containsExactly("x1", "x0");
    assertThat(second.hasMore()).isFalse();
    assertThat(store.auditLog().list(query(Set.of(), null, null, 4, null)).hasMore()).isFalse();
    assertThat(store.auditLog().list(query(Set.of(), null, null, 3, null)).hasMore()).isTrue();
    var filtered = store.auditLog().list(query(Set.of(), at(1), null, 1, "x2"));
    assertThat(ids(filtered)).containsExactly("x1");
    assertThat(filtered.hasMore()).isFalse();
  }

  @StoreTest
  void listWhenCursorUnknownThenValidationErrorNamingAfter(JdbcFederationStore store) {
    assertThatThrownBy(() -> store.auditLog().list(query(Set.of(), null, null, 2, "evt_nope")))
        .isInstanceOfSatisfying(
            AdminValidationException.class, e -> assertThat(e.param()).isEqualTo("after"))
        .hasMessage("after names no audit event: 'evt_nope'.");
  }

  @StoreTest
  void recordWhenManyConcurrentThenAllStoredAfterFlush(JdbcFederationStore store) throws Exception {
    int threads = 8;
    int each = 250;
    List<Thread> workers = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * each;
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      store.auditSink().record(succeeded("c" + (base + i), at(base + i)));
                    }
                  }));
    }
    for (Thread w : workers) {
      w.join(60_000);
    }
    store.auditSink().flush();
    int total = 0;
    String after = null;
    for (int i = 0; i < 100; i++) {
      var page = store.auditLog().list(query(Set.of(), null, null, 100, after));
      total += page.data().size();
      if (!page.hasMore()) {
        break;
      }
      after = page.data().getLast().id();
    }
    assertThat(total).isEqualTo(threads * each);
  }

  @StoreTest
  void listWhenARowStandsForSeveralRefusalsThenItsCountRoundTrips(JdbcFederationStore store) {
    ExchangeAttempt counted = failed("n1", at(0)).counted(4321);
    store.auditSink().record(counted);
    store.auditSink().record(failed("n2", at(1)));

    var result = store.auditLog().list(query(Set.of(), null, null, 10, null));

    assertThat(result.data()).containsExactly(failed("n2", at(1)), counted);
    assertThat(((ExchangeAttempt) result.data().get(1)).count()).isEqualTo(4321);
  }

  @StoreTest
  void deleteOlderThanWhenBatchedThenOnlyOlderRowsGoAtMostLimitAtATime(JdbcFederationStore store) {
    for (int i = 0; i < 25; i++) {
      store
          .auditSink()
          .record(
              i % 2 == 0
                  ? succeeded("old" + i, at(i))
                  : admin("old" + i, at(i), "project.created"));
    }
    store.auditSink().record(failed("new0", at(100)));
    store.auditSink().record(failed("new1", at(101)));
    store.auditSink().flush();

    assertThat(store.auditLog().deleteOlderThan(at(100), 10)).isEqualTo(10);
    assertThat(ids(store.auditLog().list(query(Set.of(), null, null, 100, null))))
        .as("the oldest go first")
        .hasSize(17)
        .contains("new0", "new1", "old10", "old24")
        .doesNotContain("old0", "old9");
    assertThat(store.auditLog().deleteOlderThan(at(100), 10)).isEqualTo(10);
    assertThat(store.auditLog().deleteOlderThan(at(100), 10)).isEqualTo(5);
    assertThat(store.auditLog().deleteOlderThan(at(100), 10)).isZero();

    assertThat(ids(store.auditLog().list(query(Set.of(), null, null, 100, null))))
        .containsExactly("new1", "new0");
    assertThatThrownBy(() -> store.auditLog().deleteOlderThan(at(100), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
