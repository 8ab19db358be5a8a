package dev.openwif.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An access token whose signature, issuer, audience and expiry were verified: what it says, as
 * {@link AccessTokenMinter} wrote it.
 *
 * @param subject the service account id ({@code sub})
 * @param providerId the provider that verified the subject token ({@code wif_provider})
 * @param ruleId the federation rule that granted access ({@code wif_rule})
 * @param projectId the service account's project ({@code wif_project})
 * @param issuedAt when it was minted ({@code iat}, whole seconds)
 * @param externalSubject the subject token's {@code sub} ({@code wif_ext_sub}); empty when the
 *     subject token had none
 * @param clientId the OAuth {@code client_id} the exchange request named, if any
 */
public record VerifiedAccessToken(
    String subject,
    Set<String> scopes,
    String providerId,
    String ruleId,
    String projectId,
    String jti,
    Instant expiresAt,
    Instant issuedAt,
    Optional<String> externalSubject,
    Optional<String> clientId) {
  public VerifiedAccessToken {
    Objects.requireNonNull(subject, "subject");
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(externalSubject, "externalSubject");
    Objects.requireNonNull(clientId, "clientId");
  }
}
