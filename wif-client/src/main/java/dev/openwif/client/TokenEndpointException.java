package dev.openwif.client;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The token endpoint could not be used: it stayed unreachable or answered 5xx through every
 * attempt, it redirected (a token request must never follow a redirect), or its success response
 * was not a valid RFC 8693 §2.2.1 response (no {@code access_token}, a non-positive {@code
 * expires_in}, a token with whitespace or non-printable characters).
 */
public final class TokenEndpointException extends WorkloadIdentityException {
  private final @Nullable Integer statusCode;
  private final int attempts;

  TokenEndpointException(
      String message, Optional<Integer> statusCode, int attempts, @Nullable Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode.orElse(null);
    this.attempts = attempts;
  }

  /** The HTTP status of the last response, when there was one. */
  public Optional<Integer> statusCode() {
    return Optional.ofNullable(statusCode);
  }

  /** How many requests were sent before giving up. */
  public int attempts() {
    return attempts;
  }
}
