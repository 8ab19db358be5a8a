package dev.openwif.federation.admin;

import java.util.Objects;

/**
 * An admin change that was rolled back because its audit row could not be stored in the same
 * transaction: nothing of the change is kept. The message says which change and why, for the
 * operator (it never carries key material).
 */
public final class UnauditedChangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param change what was attempted, e.g. {@code signing key rotation}
   * @param auditType the audit event that could not be stored, e.g. {@code signing_key.rotated}
   * @param cause why the audit row could not be stored
   */
  public UnauditedChangeException(String change, String auditType, RuntimeException cause) {
    super(
        Objects.requireNonNull(change, "change")
            + " rolled back, nothing changed: its audit row ("
            + Objects.requireNonNull(auditType, "auditType")
            + ") could not be stored: "
            + reason(cause),
        cause);
  }

  /**
   * The innermost message (the database's own text rather than a wrapper's class-name prefix), its
   * first line only.
   */
  private static String reason(Throwable cause) {
    String message = null;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    if (message == null) {
      return cause.getClass().getSimpleName();
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }
}
