package dev.openwif.store;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.ReasonCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * Audit events as rows of {@code audit_log}: the columns common to both kinds, the {@code
 * AdminChange} columns ({@code actor}, {@code object_id}, {@code data_json}) and the {@code
 * ExchangeAttempt} columns (reason code, detail, ids, token hash, {@code jti} and {@code
 * event_count}, how many refusals the row stands for); {@code kind} tells which.
 */
final class AuditRows {
  static final String COLUMNS =
      "id, kind, type, occurred_at, actor, object_id, data_json, reason_code, detail,"
          + " provider_id, rule_id, service_account_id, external_subject, subject_token_hash, access_token_jti,"
          + " client_address, event_count";
  private static final String ADMIN_CHANGE = "admin_change";
  private static final String EXCHANGE_ATTEMPT = "exchange_attempt";

  private AuditRows() {}

  /** Inserts the events, in order, in the caller's transaction. */
  static void insert(Handle h, List<AuditEvent> events) {
    var batch =
        h.prepareBatch(
            "INSERT INTO audit_log ("
                + COLUMNS
                + ") VALUES (:id, :kind, :type, :occurredAt,"
                + " :actor, :objectId, :dataJson, :reasonCode, :detail, :providerId, :ruleId, :serviceAccountId,"
                + " :externalSubject, :subjectTokenHash, :accessTokenJti, :clientAddress, :eventCount)");
    for (AuditEvent event : events) {
      batch
          .bind("id", event.id())
          .bind("type", event.type())
          .bind("occurredAt", event.occurredAt().toEpochMilli());
      switch (event) {
        case AuditEvent.AdminChange a ->
            batch
                .bind("kind", ADMIN_CHANGE)
                .bind("actor", a.actor())
                .bind("objectId", a.objectId())
                .bind("dataJson", a.dataJson())
                .bind("reasonCode", (String) null)
                .bind("detail", (String) null)
                .bind("providerId", (String) null)
                .bind("ruleId", (String) null)
                .bind("serviceAccountId", (String) null)
                .bind("externalSubject", (String) null)
                .bind("subjectTokenHash", (String) null)
                .bind("accessTokenJti", (String) null)
                .bind("clientAddress", (String) null)
                .bind("eventCount", 1L);
        case AuditEvent.ExchangeAttempt x ->
            batch
                .bind("kind", EXCHANGE_ATTEMPT)
                .bind("actor", (String) null)
                .bind("objectId", (String) null)
                .bind("dataJson", (String) null)
                .bind("reasonCode", x.reason().map(ReasonCode::code).orElse(null))
                .bind("detail", x.detail())
                .bind("providerId", x.providerId().orElse(null))
                .bind("ruleId", x.ruleId().orElse(null))
                .bind("serviceAccountId", x.serviceAccountId().orElse(null))
                .bind("externalSubject", x.externalSubject().orElse(null))
                .bind("subjectTokenHash", x.subjectTokenHash().orElse(null))
                .bind("accessTokenJti", x.accessTokenJti().orElse(null))
                .bind("clientAddress", x.clientAddress().orElse(null))
                .bind("eventCount", x.count());
      }
      batch.add();
    }
    batch.execute();
  }

  static AuditEvent map(ResultSet rs) throws SQLException {
    String kind = rs.getString("kind");
    return switch (kind) {
      case ADMIN_CHANGE ->
          new AuditEvent.AdminChange(
              rs.getString("id"),
              Columns.instant(rs, "occurred_at"),
              rs.getString("type"),
              rs.getString("actor"),
              rs.getString("object_id"),
              rs.getString("data_json"));
      case EXCHANGE_ATTEMPT ->
          new AuditEvent.ExchangeAttempt(
              rs.getString("id"),
              Columns.instant(rs, "occurred_at"),
              Columns.optionalString(rs, "reason_code")
                  .map(c -> ReasonCode.valueOf(c.toUpperCase(Locale.ROOT))),
              rs.getString("detail"),
              Columns.optionalString(rs, "provider_id"),
              Columns.optionalString(rs, "rule_id"),
              Columns.optionalString(rs, "service_account_id"),
              Columns.optionalString(rs, "external_subject"),
              Columns.optionalString(rs, "subject_token_hash"),
              Columns.optionalString(rs, "access_token_jti"),
              Columns.optionalString(rs, "client_address"),
              rs.getLong("event_count"));
      default -> throw new IllegalStateException("unknown audit_log kind in the database: " + kind);
    };
  }
}
