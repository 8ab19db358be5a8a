package dev.openwif.exchange;

/**
 * The OAuth error codes the token endpoint answers with (RFC 6749 §5.2, RFC 8693 §2.2.2). The
 * public response carries only this code and a generic description; the precise cause is a {@link
 * dev.openwif.audit.ReasonCode}.
 */
public enum OAuthError {
  /** The request is malformed: a missing, repeated or wrongly typed parameter (RFC 6749 §5.2). */
  INVALID_REQUEST("invalid_request"),
  /** {@code grant_type} is not token exchange (RFC 6749 §5.2). */
  UNSUPPORTED_GRANT_TYPE("unsupported_grant_type"),
  /** The identity provider named is unknown or disabled (RFC 8693 §2.2.2). */
  INVALID_TARGET("invalid_target"),
  /** The subject token failed validation or matched no rule (RFC 6749 §5.2). */
  INVALID_GRANT("invalid_grant"),
  /**
   * The issuer's keys cannot be fetched or the server is overloaded; retry later (RFC 6749
   * §4.1.2.1).
   */
  TEMPORARILY_UNAVAILABLE("temporarily_unavailable"),
  /**
   * The client (or everyone using this provider) exchanges faster than the rate limit allows;
   * answered 429 with {@code Retry-After}. The code is RFC 8628 §3.5's "slow down".
   */
  SLOW_DOWN("slow_down"),
  /**
   * The server itself failed (the signer or the configuration unreadable); answered 500 without
   * detail (RFC 6749 §4.1.2.1).
   */
  SERVER_ERROR("server_error");

  private final String code;

  OAuthError(String code) {
    this.code = code;
  }

  /** The wire value of the {@code error} member, e.g. {@code invalid_grant}. */
  public String code() {
    return code;
  }
}
