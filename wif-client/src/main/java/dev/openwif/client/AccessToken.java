package dev.openwif.client;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token obtained by a token exchange (RFC 8693 §2.2.1) and when it stops being valid.
 *
 * <p>{@link #toString()} never shows the token itself, only its first characters.
 *
 * @param value the bearer token, printable ASCII without surrounding whitespace
 * @param issuedTokenType the {@code issued_token_type} the endpoint returned
 * @param obtainedAt when the exchange that produced it started (a conservative start of its
 *     lifetime)
 * @param expiresAt {@code obtainedAt + expires_in}
 */
public record AccessToken(
    String value, String issuedTokenType, Instant obtainedAt, Instant expiresAt) {

  /** Validates that the token is present and that it expires after it was obtained. */
  public AccessToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(issuedTokenType, "issuedTokenType");
    Objects.requireNonNull(obtainedAt, "obtainedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("access token must not be empty");
    }
    if (!expiresAt.isAfter(obtainedAt)) {
      throw new IllegalArgumentException("expiresAt must be after obtainedAt");
    }
  }

  /** Whether the token is past its expiry at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    String prefix = value.length() <= 6 ? "" : value.substring(0, 6);
    return "AccessToken[" + prefix + "…, expiresAt=" + expiresAt + "]";
  }
}
