package dev.openwif.exchange;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditSink;
import dev.openwif.federation.IdGenerator;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an attempt and its outcome into the one {@link AuditEvent.ExchangeAttempt} the audit
 * contract requires (docs/architecture.md, "The audit path"): on success the provider, rule,
 * service account, external subject, token hash and the new token's {@code jti}; on refusal the
 * reason code and its precise detail with whatever was known when it was refused. Thread-safe.
 */
final class ExchangeAuditRecorder {
  private final AuditSink sink;
  private final IdGenerator ids;
  private final Clock clock;

  ExchangeAuditRecorder(AuditSink sink, IdGenerator ids, Clock clock) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  void record(AttemptTrail trail, ExchangeOutcome outcome) {
    sink.record(
        switch (outcome) {
          case ExchangeOutcome.Issued issued ->
              new AuditEvent.ExchangeAttempt(
                  ids.next("audit"),
                  clock.instant(),
                  Optional.empty(),
                  "issued access token for "
                      + issued.serviceAccountId()
                      + " under rule "
                      + issued.ruleId()
                      + ", expires in "
                      + issued.expiresIn()
                      + " s, scopes "
                      + issued.scopes(),
                  Optional.of(issued.providerId()),
                  Optional.of(issued.ruleId()),
                  Optional.of(issued.serviceAccountId()),
                  trail.externalSubject(),
                  trail.subjectTokenHash,
                  Optional.of(issued.jti()),
                  trail.clientAddress);
          case ExchangeOutcome.Rejected rejected ->
              new AuditEvent.ExchangeAttempt(
                  ids.next("audit"),
                  clock.instant(),
                  Optional.of(rejected.reason()),
                  rejected.detail(),
                  trail.providerId,
                  trail.ruleId(),
                  trail.serviceAccountId,
                  trail.externalSubject(),
                  trail.subjectTokenHash,
                  Optional.empty(),
                  trail.clientAddress);
        });
  }
}
