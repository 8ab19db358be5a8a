package dev.openwif.federation.admin;

import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A partial update of a provider: an empty field keeps its stored value. {@code description} is
 * two-level: empty keeps it, {@code Optional.of(Optional.empty())} clears it (an explicit JSON
 * {@code null}).
 */
public record ProviderPatch(
    Optional<String> name,
    Optional<Optional<String>> description,
    Optional<String> issuer,
    Optional<String> audience,
    Optional<Boolean> enabled,
    Optional<List<AttributeTransformation>> attributeTransformations,
    Optional<Verification> verification,
    Optional<Boolean> replayProtection) {
  public ProviderPatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(enabled, "enabled");
    Objects.requireNonNull(attributeTransformations, "attributeTransformations");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(replayProtection, "replayProtection");
  }

  /** The provider with this patch applied and {@code updatedAt} set to {@code now}. */
  public WorkloadIdentityProvider applyTo(WorkloadIdentityProvider p, Instant now) {
    return new WorkloadIdentityProvider(
        p.id(),
        name.orElse(p.name()),
        description.orElse(p.description()),
        issuer.orElse(p.issuer()),
        audience.orElse(p.audience()),
        enabled.orElse(p.enabled()),
        attributeTransformations.orElse(p.attributeTransformations()),
        verification.orElse(p.verification()),
        replayProtection.orElse(p.replayProtection()),
        p.createdAt(),
        now);
  }
}
