package dev.openwif.federation.admin;

import dev.openwif.federation.Permissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What an admin supplies to create a federation rule (validated by {@link RuleAdmin}). */
public record RuleDraft(
    Optional<String> name,
    Optional<String> description,
    boolean enabled,
    Map<String, Object> attributeMatchers,
    String projectId,
    String serviceAccountId,
    Permissions permissions,
    boolean clampToSubjectTokenExpiry) {
  public RuleDraft {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    attributeMatchers = Collections.unmodifiableMap(new LinkedHashMap<>(attributeMatchers));
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(serviceAccountId, "serviceAccountId");
    Objects.requireNonNull(permissions, "permissions");
  }
}
