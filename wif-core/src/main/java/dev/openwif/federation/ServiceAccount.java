package dev.openwif.federation;

import java.time.Instant;
import java.util.Objects;

/**
 * A service account of a project ({@code organization.project.service_account}); the identity an
 * access token is minted for. {@code role} is {@code member} or {@code none} (the Java SDK checks
 * it).
 */
public record ServiceAccount(
    String id, String projectId, String name, String role, Instant createdAt) {
  public ServiceAccount {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!role.equals("member") && !role.equals("none")) {
      throw new IllegalArgumentException("role must be member or none: " + role);
    }
  }
}
