package dev.openwif.token;

import java.time.Duration;
import java.util.Objects;

/**
 * What every access token this server mints shares (RFC 9068 §2.2): the issuer (the server's public
 * URL), the audience (the {@code /v1} API) and the lifetime ({@code --token-ttl}, default 3600 s;
 * the Java SDK re-exchanges before every call when it is 1200 s or less).
 */
public record AccessTokenProfile(String issuer, String audience, Duration lifetime) {
  public AccessTokenProfile {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(lifetime, "lifetime");
    if (issuer.isEmpty() || audience.isEmpty()) {
      throw new IllegalArgumentException("issuer and audience must not be empty");
    }
    if (lifetime.toSeconds() < 1) {
      throw new IllegalArgumentException("lifetime must be at least one second");
    }
  }
}
