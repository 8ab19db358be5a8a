package dev.openwif.federation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A workload identity provider ({@code organization.workload_identity_provider}): an OIDC issuer
 * whose tokens, for {@code audience}, may be exchanged.
 *
 * @param replayProtection when true, a subject token may be exchanged only once (opt-in; platform
 *     tokens are normally reused until they expire)
 */
public record WorkloadIdentityProvider(
    String id,
    String name,
    Optional<String> description,
    String issuer,
    String audience,
    boolean enabled,
    List<AttributeTransformation> attributeTransformations,
    Verification verification,
    boolean replayProtection,
    Instant createdAt,
    Instant updatedAt) {
  public WorkloadIdentityProvider {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    attributeTransformations = List.copyOf(attributeTransformations);
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
