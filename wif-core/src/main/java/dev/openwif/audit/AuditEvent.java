package dev.openwif.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An audit event. Closed set: admin changes and exchange attempts. Every text an event holds passes
 * through {@link AuditText#clean} in its constructor (printable, at most {@value
 * AuditText#MAX_LENGTH} characters), so nothing recorded can bypass that bound; an admin change's
 * {@code dataJson} is the exception: it is built by the server with JSON escaping from an
 * authenticated admin's request, and cutting it would break the JSON.
 */
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
      id = AuditText.clean(Objects.requireNonNull(id, "id"));
      Objects.requireNonNull(occurredAt, "occurredAt");
      type = AuditText.clean(Objects.requireNonNull(type, "type"));
      actor = AuditText.clean(Objects.requireNonNull(actor, "actor"));
      objectId = AuditText.clean(Objects.requireNonNull(objectId, "objectId"));
      Objects.requireNonNull(dataJson, "dataJson");
    }
  }

  /**
   * One token-exchange attempt, success ({@code reason} empty, {@code accessTokenJti} set) or
   * refusal. {@code subjectTokenHash} is the hex SHA-256 of the subject token — never the token
   * itself. {@code count} is 1 for one attempt; a row that stands for several refusals made before
   * authentication from one address with one reason within a minute ({@link AggregatingAuditSink})
   * carries how many, and the first one's fields.
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
      Optional<String> clientAddress,
      long count)
      implements AuditEvent {
    public static final String SUCCEEDED = "token_exchange.succeeded";
    public static final String FAILED = "token_exchange.failed";

    public ExchangeAttempt {
      id = AuditText.clean(Objects.requireNonNull(id, "id"));
      Objects.requireNonNull(occurredAt, "occurredAt");
      Objects.requireNonNull(reason, "reason");
      detail = AuditText.clean(Objects.requireNonNull(detail, "detail"));
      providerId = Objects.requireNonNull(providerId, "providerId").map(AuditText::clean);
      ruleId = Objects.requireNonNull(ruleId, "ruleId").map(AuditText::clean);
      serviceAccountId =
          Objects.requireNonNull(serviceAccountId, "serviceAccountId").map(AuditText::clean);
      externalSubject =
          Objects.requireNonNull(externalSubject, "externalSubject").map(AuditText::clean);
      subjectTokenHash =
          Objects.requireNonNull(subjectTokenHash, "subjectTokenHash").map(AuditText::clean);
      accessTokenJti =
          Objects.requireNonNull(accessTokenJti, "accessTokenJti").map(AuditText::clean);
      clientAddress = Objects.requireNonNull(clientAddress, "clientAddress").map(AuditText::clean);
      if (count < 1) {
        throw new IllegalArgumentException("count must be at least 1: " + count);
      }
      if (count > 1 && reason.isEmpty()) {
        throw new IllegalArgumentException("only refusals are counted together");
      }
    }

    /** One attempt ({@code count} 1). */
    public ExchangeAttempt(
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
        Optional<String> clientAddress) {
      this(
          id,
          occurredAt,
          reason,
          detail,
          providerId,
          ruleId,
          serviceAccountId,
          externalSubject,
          subjectTokenHash,
          accessTokenJti,
          clientAddress,
          1);
    }

    /** This attempt standing for {@code total} refusals. */
    public ExchangeAttempt counted(long total) {
      return new ExchangeAttempt(
          id,
          occurredAt,
          reason,
          detail,
          providerId,
          ruleId,
          serviceAccountId,
          externalSubject,
          subjectTokenHash,
          accessTokenJti,
          clientAddress,
          total);
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
