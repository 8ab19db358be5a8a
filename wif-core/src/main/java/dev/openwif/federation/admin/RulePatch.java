package dev.openwif.federation.admin;

import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A partial update of a federation rule: an empty field keeps its stored value. {@code name} and
 * {@code description} are two-level: {@code Optional.of(Optional.empty())} clears them (an explicit
 * JSON null).
 */
public record RulePatch(
    Optional<Optional<String>> name,
    Optional<Optional<String>> description,
    Optional<Boolean> enabled,
    Optional<Map<String, Object>> attributeMatchers,
    Optional<String> projectId,
    Optional<String> serviceAccountId,
    Optional<Permissions> permissions,
    Optional<Boolean> clampToSubjectTokenExpiry) {
  public RulePatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(enabled, "enabled");
    Objects.requireNonNull(attributeMatchers, "attributeMatchers");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(serviceAccountId, "serviceAccountId");
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(clampToSubjectTokenExpiry, "clampToSubjectTokenExpiry");
  }

  /** The rule with this patch applied and {@code updatedAt} set to {@code now}. */
  public FederationRule applyTo(FederationRule r, Instant now) {
    return new FederationRule(
        r.id(),
        r.providerId(),
        name.orElse(r.name()),
        description.orElse(r.description()),
        enabled.orElse(r.enabled()),
        attributeMatchers.orElse(r.attributeMatchers()),
        projectId.orElse(r.projectId()),
        serviceAccountId.orElse(r.serviceAccountId()),
        permissions.orElse(r.permissions()),
        clampToSubjectTokenExpiry.orElse(r.clampToSubjectTokenExpiry()),
        r.createdAt(),
        now);
  }
}
