package dev.openwif.federation.admin;

import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.Verification;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an admin supplies to create a workload identity provider (validated by {@link
 * ProviderAdmin}).
 */
public record ProviderDraft(
    String name,
    Optional<String> description,
    String issuer,
    String audience,
    boolean enabled,
    List<AttributeTransformation> attributeTransformations,
    Verification verification,
    boolean replayProtection) {
  public ProviderDraft {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    attributeTransformations = List.copyOf(attributeTransformations);
    Objects.requireNonNull(verification, "verification");
  }
}
