package dev.openwif.federation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An admin API key as stored: only the SHA-256 of the secret (hex) and its first characters for
 * display. Keys are 256-bit random values, so an unsalted fast hash is enough to make the stored
 * value useless.
 */
public record AdminKey(
    String id,
    String name,
    String secretHash,
    String displayPrefix,
    Instant createdAt,
    Optional<Instant> revokedAt) {
  /** How a generated admin key's secret starts. */
  public static final String SECRET_PREFIX = "wifadm_";

  public AdminKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secretHash, "secretHash");
    Objects.requireNonNull(displayPrefix, "displayPrefix");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  /**
   * The characters safe to show: the stored prefix of a generated {@code wifadm_} key, at most the
   * first 4 characters of an operator-chosen one (rows stored before that limit kept 12).
   */
  public String shownPrefix() {
    return displayPrefix.startsWith(SECRET_PREFIX)
        ? displayPrefix
        : displayPrefix.substring(0, Math.min(4, displayPrefix.length()));
  }

  public boolean active() {
    return revokedAt.isEmpty();
  }
}
