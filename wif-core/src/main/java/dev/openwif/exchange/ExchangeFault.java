package dev.openwif.exchange;

import java.util.Objects;

/**
 * A server fault during {@link TokenExchange#exchange} (the signer or the directory failing),
 * thrown after the attempt was audited as {@link OAuthError#SERVER_ERROR} / {@code internal_error}:
 * the caller answers 500 and must not audit it again. The cause is the original fault.
 */
public final class ExchangeFault extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What was audited; not serialisable state, so transient. */
  private final transient ExchangeOutcome.Rejected rejected;

  private final RuntimeException fault;

  ExchangeFault(ExchangeOutcome.Rejected rejected, RuntimeException cause) {
    super("server fault during the token exchange: " + cause.getClass().getName(), cause);
    this.rejected = Objects.requireNonNull(rejected, "rejected");
    this.fault = cause;
  }

  /** The original fault (also the cause), never null. */
  public RuntimeException fault() {
    return fault;
  }

  /** The refusal recorded in the audit log for this attempt. */
  public ExchangeOutcome.Rejected rejected() {
    return rejected;
  }
}
