package dev.openwif.client;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The token endpoint answered the exchange with a 4xx status. For 400, 401 and 403 the body is an
 * OAuth error response (RFC 6749 §5.2, RFC 8693 §2.2.2): {@link #error()} holds its {@code error}
 * code (for example {@code invalid_grant}) and {@link #errorDescription()} its {@code
 * error_description}. A rejection is never retried: the same request would be refused again.
 */
public final class TokenExchangeRejectedException extends WorkloadIdentityException {
  private final int statusCode;
  private final @Nullable String error;
  private final @Nullable String errorDescription;

  TokenExchangeRejectedException(
      int statusCode, Optional<String> error, Optional<String> errorDescription) {
    super(message(statusCode, error, errorDescription), null);
    this.statusCode = statusCode;
    this.error = error.orElse(null);
    this.errorDescription = errorDescription.orElse(null);
  }

  private static String message(int status, Optional<String> error, Optional<String> description) {
    StringBuilder text = new StringBuilder("Token exchange rejected with status ").append(status);
    error.ifPresent(code -> text.append(": ").append(code));
    description.ifPresent(d -> text.append(" (").append(d).append(')'));
    return text.toString();
  }

  /** The HTTP status of the rejection. */
  public int statusCode() {
    return statusCode;
  }

  /** The OAuth {@code error} code, when the body was an OAuth error response. */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /** The OAuth {@code error_description}, when present. */
  public Optional<String> errorDescription() {
    return Optional.ofNullable(errorDescription);
  }
}
