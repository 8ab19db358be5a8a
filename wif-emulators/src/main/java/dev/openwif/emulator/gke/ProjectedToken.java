package dev.openwif.emulator.gke;

import java.time.Instant;
import java.util.Objects;

/** A minted projected service account token and its validity window. */
public record ProjectedToken(String jwt, Instant issuedAt, Instant expiresAt) {
  public ProjectedToken {
    Objects.requireNonNull(jwt, "jwt");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt must be after issuedAt");
    }
  }

  @Override
  public String toString() {
    return "ProjectedToken[issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
  }
}
