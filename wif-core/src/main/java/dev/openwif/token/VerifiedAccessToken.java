package dev.openwif.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** An access token whose signature, issuer, audience and expiry were verified. */
public record VerifiedAccessToken(
    String subject,
    Set<String> scopes,
    String providerId,
    String ruleId,
    String projectId,
    String jti,
    Instant expiresAt) {
  public VerifiedAccessToken {
    Objects.requireNonNull(subject, "subject");
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
