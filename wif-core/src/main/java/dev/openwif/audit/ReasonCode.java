package dev.openwif.audit;

/**
 * The precise, internal reason an exchange was refused. Public responses stay generic ({@code
 * invalid_grant}); this code and a detail sentence go to the audit log only, where an operator
 * reads them through the admin API ({@code GET /v1/organization/audit_logs}, {@code reason_code}
 * and {@code detail}).
 */
public enum ReasonCode {
  // request shape (RFC 8693 §2.1)
  INVALID_REQUEST,
  UNSUPPORTED_GRANT_TYPE,
  UNSUPPORTED_SUBJECT_TOKEN_TYPE,
  // provider and target
  PROVIDER_UNKNOWN,
  PROVIDER_DISABLED,
  SERVICE_ACCOUNT_UNKNOWN,
  // token structure
  TOKEN_TOO_LARGE,
  MALFORMED_TOKEN,
  UNSUPPORTED_TOKEN_FORMAT,
  DUPLICATE_JSON_MEMBER,
  // header
  ALG_NOT_ALLOWED,
  KID_MISSING,
  KID_UNKNOWN,
  KEY_ALG_MISMATCH,
  KEY_USE_NOT_SIG,
  FORBIDDEN_HEADER,
  CRIT_PRESENT,
  // signature and claims
  SIGNATURE_INVALID,
  ISSUER_MISMATCH,
  AUDIENCE_MISMATCH,
  EXP_MISSING,
  EXP_INVALID,
  EXPIRED,
  IAT_MISSING,
  IAT_INVALID,
  IAT_IN_FUTURE,
  NBF_INVALID,
  NOT_YET_VALID,
  LIFETIME_TOO_LONG,
  CLAIM_TYPE_INVALID,
  // policy
  TRANSFORMATION_FAILED,
  NO_MATCHING_RULE,
  REPLAYED,
  // availability and abuse
  ISSUER_UNAVAILABLE,
  // the issuer's keys were never obtained and the fetch still runs after the bounded wait
  ISSUER_KEYS_PENDING,
  RATE_LIMITED,
  OVERLOADED,
  // the federation snapshot is older than its maximum age (the database cannot be read)
  SNAPSHOT_STALE,
  // the replay memory shared by the nodes (PostgreSQL) could not be asked whether a token was used
  REPLAY_MEMORY_UNAVAILABLE,
  // a fault of the server itself (e.g. the signer failed): answered 500 without detail, still
  // audited
  INTERNAL_ERROR;

  /**
   * Whether this refusal can come before the subject token's signature is verified: from the
   * request's shape through the token's structure and header to {@link #SIGNATURE_INVALID} (not
   * {@link #SERVICE_ACCOUNT_UNKNOWN}, found after), the refusals for want of what the check needs
   * ({@link #ISSUER_UNAVAILABLE}, {@link #ISSUER_KEYS_PENDING}: no issuer keys; {@link
   * #SNAPSHOT_STALE}: no fresh configuration), and the abuse limits ({@link #RATE_LIMITED}, {@link
   * #OVERLOADED}). Anyone can cause these at will, so they are audited counted per client address
   * and minute ({@link AggregatingAuditSink}), not one row each.
   */
  public boolean beforeAuthentication() {
    return switch (this) {
      case INVALID_REQUEST,
          UNSUPPORTED_GRANT_TYPE,
          UNSUPPORTED_SUBJECT_TOKEN_TYPE,
          PROVIDER_UNKNOWN,
          PROVIDER_DISABLED,
          TOKEN_TOO_LARGE,
          MALFORMED_TOKEN,
          UNSUPPORTED_TOKEN_FORMAT,
          DUPLICATE_JSON_MEMBER,
          ALG_NOT_ALLOWED,
          KID_MISSING,
          KID_UNKNOWN,
          KEY_ALG_MISMATCH,
          KEY_USE_NOT_SIG,
          FORBIDDEN_HEADER,
          CRIT_PRESENT,
          SIGNATURE_INVALID,
          ISSUER_UNAVAILABLE,
          ISSUER_KEYS_PENDING,
          SNAPSHOT_STALE,
          RATE_LIMITED,
          OVERLOADED ->
          true;
      default -> false;
    };
  }

  /** The code as written in audit events and APIs, e.g. {@code signature_invalid}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
