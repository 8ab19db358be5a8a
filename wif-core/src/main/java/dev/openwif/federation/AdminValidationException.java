package dev.openwif.federation;

import java.util.Objects;

/**
 * An admin request that breaks a validation rule. {@link #param()} names the offending field as the
 * API spells it (e.g. {@code issuer}, {@code attribute_transformations[2].expression}); the message
 * says what is wrong and never contains a secret. Answered as 400 {@code invalid_request_error}.
 */
public final class AdminValidationException extends RuntimeException {
  private final String message;

  private final String param;

  public AdminValidationException(String param, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.message = Objects.requireNonNull(message, "message");
    this.param = Objects.requireNonNull(param, "param");
  }

  public String param() {
    return param;
  }

  /** The message given at construction, never null. */
  @Override
  public final String getMessage() {
    return message;
  }
}
