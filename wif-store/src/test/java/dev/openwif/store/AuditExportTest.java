package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class AuditExportTest {
  private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

  @StoreTest
  void exportWhenMoreRowsThanOneFetchThenAllFromSinceOldestFirstWithoutEmptyColumns(
      JdbcFederationStore store) {
    int total = AuditExport.FETCH_SIZE + 50;
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      events.add(
          i % 2 == 0
              ? JdbcAuditLogTest.admin("evt_" + i, T.plusSeconds(i), "project.created")
              : JdbcAuditLogTest.succeeded("evt_" + i, T.plusSeconds(i)));
    }
    events.forEach(store.auditSink()::record);
    List<Map<String, Object>> rows = new ArrayList<>();

    long count = store.exportAudit(T.plusSeconds(10), rows::add);

    assertThat(count).isEqualTo(total - 10);
    assertThat(rows).hasSize(total - 10);
    assertThat(rows.getFirst())
        .containsEntry("id", "evt_10")
        .containsEntry("kind", "admin_change")
        .containsEntry("occurred_at", T.plusSeconds(10))
        .containsKeys("type", "actor", "object_id", "data_json")
        .doesNotContainKey("reason_code");
    assertThat(rows.get(1))
        .containsEntry("kind", "exchange_attempt")
        .containsEntry("access_token_jti", "jti-1")
        .containsEntry("event_count", 1L);
    assertThat(rows.getLast()).containsEntry("id", "evt_" + (total - 1));
  }
}
