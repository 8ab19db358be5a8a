package dev.openwif.exchange;

import dev.openwif.audit.AuditSink;
import dev.openwif.audit.ReasonCode;
import dev.openwif.federation.IdGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Audits the requests the token endpoint refuses without running {@link TokenExchange#exchange}
 * (malformed, unsupported grant, rate limited, overloaded) and the server faults around it, so that
 * every attempt still ends in exactly one audit event (which an {@link
 * dev.openwif.audit.AggregatingAuditSink} in front of the store may count together with others from
 * the same address). Thread-safe.
 */
public final class EarlyRefusals {
  private final ExchangeAuditRecorder recorder;

  public EarlyRefusals(AuditSink audit, IdGenerator ids, Clock clock) {
    this.recorder = new ExchangeAuditRecorder(audit, ids, clock);
  }

  /** Records the refusal and returns what the client is answered. */
  public ExchangeOutcome.Rejected refuse(EarlyRefusal refusal) {
    ExchangeOutcome.Rejected rejected = rejectedFor(refusal);
    recorder.record(trailOf(refusal), rejected);
    return rejected;
  }

  private static ExchangeOutcome.Rejected rejectedFor(EarlyRefusal refusal) {
    return switch (refusal) {
      case EarlyRefusal.Malformed m ->
          Refusal.rejected(
              OAuthError.INVALID_REQUEST, ReasonCode.INVALID_REQUEST, m.problem(), m.problem());
      case EarlyRefusal.UnsupportedGrant u -> Refusal.unsupportedGrant(u.grantType());
      case EarlyRefusal.RateLimited r -> rateLimited(r.limit(), r.retryAfter());
      case EarlyRefusal.AddressLimited a -> rateLimited(a.limit(), a.retryAfter());
      case EarlyRefusal.Overloaded o ->
          Refusal.unavailable(
                  ReasonCode.OVERLOADED,
                  "The server is busy; retry later.",
                  "admission control: too many exchanges in progress",
                  o.retryAfter())
              .rejected;
      case EarlyRefusal.ServerFault f -> Refusal.serverFault(f.fault());
    };
  }

  private static ExchangeOutcome.Rejected rateLimited(String limit, Duration retryAfter) {
    return new ExchangeOutcome.Rejected(
        OAuthError.SLOW_DOWN,
        ReasonCode.RATE_LIMITED,
        Refusal.RATE_LIMITED,
        "rate limit: " + limit,
        Optional.of(retryAfter));
  }

  private static AttemptTrail trailOf(EarlyRefusal refusal) {
    return switch (refusal) {
      case EarlyRefusal.Malformed m -> AttemptTrail.unparsed(m.clientAddress());
      case EarlyRefusal.UnsupportedGrant u -> AttemptTrail.unparsed(u.clientAddress());
      case EarlyRefusal.RateLimited r -> AttemptTrail.of(r.request());
      case EarlyRefusal.AddressLimited a -> AttemptTrail.unparsed(a.clientAddress());
      case EarlyRefusal.Overloaded o -> AttemptTrail.of(o.request());
      case EarlyRefusal.ServerFault f ->
          f.request()
              .map(AttemptTrail::of)
              .orElseGet(() -> AttemptTrail.unparsed(f.clientAddress()));
    };
  }
}
