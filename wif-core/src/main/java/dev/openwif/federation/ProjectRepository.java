package dev.openwif.federation;

import java.util.Optional;

/** Stores projects. Implementations are thread-safe. */
public interface ProjectRepository {
  void insert(Project project);

  /** Replaces the stored project with the same id; returns false when there is none. */
  boolean update(Project project);

  Optional<Project> find(String id);

  /** Projects in creation order (ties broken by id); archived ones only when asked. */
  Page<Project> list(PageRequest page, boolean includeArchived);
}
