package dev.openwif.federation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An OpenAI-style project that owns service accounts ({@code organization.project}). */
public record Project(String id, String name, Instant createdAt, Optional<Instant> archivedAt) {
  public Project {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(archivedAt, "archivedAt");
  }

  /** {@code active} or {@code archived}, as the {@code status} field of OpenAI's project object. */
  public String status() {
    return archivedAt.isPresent() ? "archived" : "active";
  }

  public boolean archived() {
    return archivedAt.isPresent();
  }
}
