package dev.openwif.federation;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A federation rule ({@code organization.workload_identity_federation_rule}, the dashboard's
 * "service account mapping"): when every attribute matcher holds for a verified subject token of
 * the provider, the workload may act as {@code serviceAccountId}.
 *
 * @param attributeMatchers raw claim names (nested with dots) or {@code openai.*} attributes, each
 *     to a {@link String}, {@link Boolean} or {@link java.math.BigDecimal}; compared by type and
 *     exact value
 * @param clampToSubjectTokenExpiry opt-in: access tokens never outlive the subject token's {@code
 *     exp}
 */
public record FederationRule(
    String id,
    String providerId,
    Optional<String> name,
    Optional<String> description,
    boolean enabled,
    Map<String, Object> attributeMatchers,
    String projectId,
    String serviceAccountId,
    Permissions permissions,
    boolean clampToSubjectTokenExpiry,
    Instant createdAt,
    Instant updatedAt) {
  public FederationRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    attributeMatchers = Collections.unmodifiableMap(new LinkedHashMap<>(attributeMatchers));
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(serviceAccountId, "serviceAccountId");
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
