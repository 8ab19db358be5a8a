package dev.openwif.federation;

import java.time.Instant;
import java.util.Objects;

/**
 * A service account of a project ({@code organization.project.service_account}); the identity an
 * access token is minted for. {@code role} is {@code member} or {@code none} (the Java SDK checks
 * it). {@code rateLimits} bound its calls through the {@code /v1} gateway (unlimited by default).
 */
public record ServiceAccount(
    String id,
    String projectId,
    String name,
    String role,
    Instant createdAt,
    ServiceAccountRateLimits rateLimits) {
  public ServiceAccount {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rateLimits, "rateLimits");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!role.equals("member") && !role.equals("none")) {
      throw new IllegalArgumentException("role must be member or none: " + role);
    }
  }

  /** An account without rate limits. */
  public ServiceAccount(String id, String projectId, String name, String role, Instant createdAt) {
    this(id, projectId, name, role, createdAt, ServiceAccountRateLimits.unlimited());
  }

  /** This account with other rate limits. */
  public ServiceAccount withRateLimits(ServiceAccountRateLimits limits) {
    return new ServiceAccount(id, projectId, name, role, createdAt, limits);
  }
}
