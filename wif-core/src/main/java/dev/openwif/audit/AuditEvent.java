package dev.openwif.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An audit event. Closed set: admin changes and exchange attempts. */
public sealed interface AuditEvent {
  String id();

  Instant occurredAt();

  /** The event type as listed by the audit API, e.g. {@code workload_identity_provider.created}. */
  String type();

  /**
   * An admin change: {@code type} such as {@code workload_identity_provider.updated} or {@code
   * project.created}; {@code dataJson} is a JSON object with the object's {@code id}, the {@code
   * identity_provider_id} where relevant and the request data ({@code changes_requested}).
   */
  record AdminChange(
      String id, Instant occurredAt, String type, String actor, String objectId, String dataJson)
      implements AuditEvent {
    public AdminChange {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(occurredAt, "occurredAt");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(objectId, "objectId");
      Objects.requireNonNull(dataJson, "dataJson");
    }
  }

  /**
   * One token-exchange attempt, success ({@code reason} empty, {@code accessTokenJti} set) or
   * refusal. {@code subjectTokenHash} is the hex SHA-256 of the subject token — never the token
   * itself.
   */
  record ExchangeAttempt(
      String id,
      Instant occurredAt,
      Optional<ReasonCode> reason,
      String detail,
      Optional<String> providerId,
      Optional<String> ruleId,
      Optional<String> serviceAccountId,
      Optional<String> externalSubject,
      Optional<String> subjectTokenHash,
      Optional<String> accessTokenJti,
      Optional<String> clientAddress)
      implements AuditEvent {
    public static final String SUCCEEDED = "token_exchange.succeeded";
    public static final String FAILED = "token_exchange.failed";

    public ExchangeAttempt {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(occurredAt, "occurredAt");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(providerId, "providerId");
      Objects.requireNonNull(ruleId, "ruleId");
      Objects.requireNonNull(serviceAccountId, "serviceAccountId");
      Objects.requireNonNull(externalSubject, "externalSubject");
      Objects.requireNonNull(subjectTokenHash, "subjectTokenHash");
      Objects.requireNonNull(accessTokenJti, "accessTokenJti");
      Objects.requireNonNull(clientAddress, "clientAddress");
    }

    @Override
    public String type() {
      return reason.isEmpty() ? SUCCEEDED : FAILED;
    }

    public boolean succeeded() {
      return reason.isEmpty();
    }
  }
}
