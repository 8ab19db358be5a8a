package dev.openwif.token;

import java.util.Objects;

/**
 * An access token presented to the gateway was refused; {@link #reason()} says why (for logs, never
 * shown to the caller beyond {@code invalid_token}). It never contains the token. No stack trace.
 */
public final class AccessTokenRejectedException extends RuntimeException {
  private final String reason;

  public AccessTokenRejectedException(String reason) {
    super(Objects.requireNonNull(reason, "reason"), null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
