package dev.openwif.exchange;

import dev.openwif.audit.ReasonCode;
import java.time.Duration;
import java.util.Optional;

/**
 * Ends the steps of {@link TokenExchange} early with a typed refusal; internal control flow that
 * never escapes {@link TokenExchange#exchange}. The public descriptions are deliberately generic
 * (RFC 6749 §5.2 leaves them to the server): the precise cause travels in the reason code and
 * detail, to the audit log only. No stack trace is recorded.
 */
final class Refusal extends RuntimeException {
  static final String UNKNOWN_PROVIDER = "The identity provider is unknown or disabled.";
  static final String INVALID_GRANT = "The subject token is not valid for this exchange.";
  static final String RATE_LIMITED = "Too many token requests; retry later.";
  static final String SERVER_FAULT = "The server could not complete the token exchange.";
  private static final int MAX_SHOWN = 100;

  final ExchangeOutcome.Rejected rejected;

  Refusal(ExchangeOutcome.Rejected rejected) {
    super(rejected.reason().code(), null, false, false);
    this.rejected = rejected;
  }

  static ExchangeOutcome.Rejected rejected(
      OAuthError error, ReasonCode reason, String publicDescription, String detail) {
    return new ExchangeOutcome.Rejected(error, reason, publicDescription, detail, Optional.empty());
  }

  static Refusal of(OAuthError error, ReasonCode reason, String publicDescription, String detail) {
    return new Refusal(rejected(error, reason, publicDescription, detail));
  }

  /** 401 {@code invalid_grant} with the generic description. */
  static Refusal invalidGrant(ReasonCode reason, String detail) {
    return of(OAuthError.INVALID_GRANT, reason, INVALID_GRANT, detail);
  }

  /** 400 {@code invalid_target}: the provider named cannot be used. */
  static Refusal invalidTarget(ReasonCode reason, String detail) {
    return of(OAuthError.INVALID_TARGET, reason, UNKNOWN_PROVIDER, detail);
  }

  /**
   * 503 {@code temporarily_unavailable}: not a judgement of the token; the client may retry later.
   */
  static Refusal unavailable(
      ReasonCode reason, String publicDescription, String detail, Duration retryAfter) {
    return new Refusal(
        new ExchangeOutcome.Rejected(
            OAuthError.TEMPORARILY_UNAVAILABLE,
            reason,
            publicDescription,
            detail,
            Optional.of(retryAfter)));
  }

  /** 429 {@code slow_down} with {@code Retry-After}: a rate limit was hit. */
  static Refusal rateLimited(String detail, Duration retryAfter) {
    return new Refusal(
        new ExchangeOutcome.Rejected(
            OAuthError.SLOW_DOWN,
            ReasonCode.RATE_LIMITED,
            RATE_LIMITED,
            detail,
            Optional.of(retryAfter)));
  }

  /** RFC 6749 §5.2 {@code unsupported_grant_type}: the grant type is not token exchange. */
  static ExchangeOutcome.Rejected unsupportedGrant(String grantType) {
    return rejected(
        OAuthError.UNSUPPORTED_GRANT_TYPE,
        ReasonCode.UNSUPPORTED_GRANT_TYPE,
        "Only the token-exchange grant type is supported.",
        "grant_type was '" + shown(grantType) + "'");
  }

  /**
   * 500 {@code server_error}, audited as {@code internal_error}: a fault of the server, not of the
   * request. Only the fault's class name is recorded (its message may hold details of the store).
   */
  static ExchangeOutcome.Rejected serverFault(RuntimeException fault) {
    return rejected(
        OAuthError.SERVER_ERROR,
        ReasonCode.INTERNAL_ERROR,
        SERVER_FAULT,
        "server fault: " + fault.getClass().getSimpleName());
  }

  /** Client-supplied text in a detail is cut, so a hostile request cannot flood the audit log. */
  static String shown(String value) {
    return value.length() <= MAX_SHOWN ? value : value.substring(0, MAX_SHOWN) + "...";
  }
}
