package dev.openwif.oidc;

import dev.openwif.audit.ReasonCode;
import java.util.Objects;

/**
 * A subject token was refused. {@link #reason()} is the typed cause; {@link #detail()} is a precise
 * sentence for the audit log, which the admin API serves (e.g. "aud was [x], provider expects y").
 * It never contains the token itself. No stack trace is recorded: a rejection is an expected
 * outcome.
 */
public final class TokenRejectedException extends RuntimeException {
  private final ReasonCode reason;
  private final String detail;

  public TokenRejectedException(ReasonCode reason, String detail) {
    super(
        Objects.requireNonNull(reason, "reason").code()
            + ": "
            + Objects.requireNonNull(detail, "detail"),
        null,
        false,
        false);
    this.reason = reason;
    this.detail = detail;
  }

  public ReasonCode reason() {
    return reason;
  }

  public String detail() {
    return detail;
  }
}
