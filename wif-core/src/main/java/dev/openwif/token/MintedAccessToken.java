package dev.openwif.token;

import java.time.Instant;
import java.util.Objects;

/** A signed access token, its {@code jti} and expiry. {@link #toString()} never shows the token. */
public record MintedAccessToken(String token, String jti, Instant expiresAt) {
  public MintedAccessToken {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "MintedAccessToken[jti=" + jti + ", expiresAt=" + expiresAt + "]";
  }
}
