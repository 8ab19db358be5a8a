package dev.openwif.oidc;

import dev.openwif.audit.ReasonCode;
import java.util.Objects;

/**
 * The issuer's keys cannot be used now: never obtained (the fetch failed, or still runs after the
 * bounded wait), or the last-known-good keys are older than the allowed staleness. The token
 * endpoint answers 503 {@code temporarily_unavailable}: the token itself was not judged. The
 * message names the issuer and the cause; {@link #reason()} is {@link
 * ReasonCode#ISSUER_KEYS_PENDING} while a first fetch is still running, otherwise {@link
 * ReasonCode#ISSUER_UNAVAILABLE}.
 */
public final class IssuerUnavailableException extends RuntimeException {
  private final ReasonCode reason;
  private final String detail;

  /** An {@link ReasonCode#ISSUER_UNAVAILABLE} failure. */
  public IssuerUnavailableException(String message) {
    this(ReasonCode.ISSUER_UNAVAILABLE, message);
  }

  public IssuerUnavailableException(ReasonCode reason, String message) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = message;
  }

  /** {@link ReasonCode#ISSUER_UNAVAILABLE} or {@link ReasonCode#ISSUER_KEYS_PENDING}. */
  public ReasonCode reason() {
    return reason;
  }

  /** The message, never null: names the issuer and the cause. */
  public String detail() {
    return detail;
  }
}
