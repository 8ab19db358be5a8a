package dev.openwif.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an access token says (RFC 9068 §2.2): who it is for and what it may do.
 *
 * @param subject the service account id ({@code sub})
 * @param scopes the granted permissions (the {@code "scope"} claim, space separated on the wire; no
 *     blanks inside)
 * @param providerId the workload identity provider that verified the subject token ({@code
 *     wif_provider})
 * @param ruleId the federation rule that granted access ({@code wif_rule})
 * @param projectId the project of the service account ({@code wif_project})
 * @param externalSubject the subject token's {@code sub} ({@code wif_ext_sub})
 * @param clientId the OAuth client id, when the request named one ({@code client_id})
 */
public record AccessTokenClaims(
    String issuer,
    String subject,
    String audience,
    Instant issuedAt,
    Instant expiresAt,
    String jti,
    Set<String> scopes,
    String providerId,
    String ruleId,
    String projectId,
    String externalSubject,
    Optional<String> clientId) {
  public AccessTokenClaims {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(jti, "jti");
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(externalSubject, "externalSubject");
    Objects.requireNonNull(clientId, "clientId");
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt must be after issuedAt");
    }
    if (jti.isEmpty() || subject.isEmpty()) {
      throw new IllegalArgumentException("jti and subject must not be empty");
    }
    for (String scope : scopes) {
      if (scope.isEmpty() || scope.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
        throw new IllegalArgumentException(
            "scope \"" + scope + "\" is not a valid scope token (RFC 6749 §3.3)");
      }
    }
  }
}
