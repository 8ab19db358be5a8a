package dev.openwif.federation.admin;

import dev.openwif.federation.FederationChangeListener;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.NotFoundException;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Project;
import dev.openwif.federation.ProjectRepository;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Admin use cases for projects: create, retrieve, list, rename, archive. Every change is validated,
 * then stored and audited ({@code project.created|updated|archived}) in one {@link AdminWriteLock
 * admin transaction}, then announced to the {@link FederationChangeListener}. A rename or archive
 * may carry a {@link Precondition} on the stored project, checked in that transaction. Thread-safe
 * when the ports are.
 */
public final class ProjectAdmin {
  private final ProjectRepository projects;
  private final AdminWriteLock writeLock;
  private final AdminAudit audit;
  private final FederationChangeListener changed;
  private final Clock clock;
  private final IdGenerator ids;

  public ProjectAdmin(
      ProjectRepository projects,
      AdminWriteLock writeLock,
      AdminAudit audit,
      FederationChangeListener changed,
      Clock clock,
      IdGenerator ids) {
    this.projects = Objects.requireNonNull(projects, "projects");
    this.writeLock = Objects.requireNonNull(writeLock, "writeLock");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.changed = Objects.requireNonNull(changed, "changed");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  public Project create(String name, ChangeNote note) {
    ProviderValidator.checkText("name", name, ProviderValidator.MAX_TEXT);
    Project project = new Project(ids.next("proj"), name, clock.instant(), Optional.empty());
    writeLock.runVoid(
        () -> {
          projects.insert(project);
          audit.record("project.created", project.id(), Optional.empty(), note);
        });
    changed.federationChanged();
    return project;
  }

  public Project get(String id) {
    return projects
        .find(id)
        .orElseThrow(() -> new NotFoundException("No project found with id '" + id + "'."));
  }

  public Page<Project> list(PageRequest page, boolean includeArchived) {
    page.after().filter(after -> projects.find(after).isEmpty()).ifPresent(Cursors::unknown);
    return projects.list(page, includeArchived);
  }

  public Project rename(String id, String name, ChangeNote note) {
    return rename(id, name, note, Precondition.none());
  }

  /**
   * {@link #rename(String, String, ChangeNote)} when the stored project satisfies {@code
   * precondition}, checked inside the write's admin transaction.
   */
  public Project rename(
      String id, String name, ChangeNote note, Precondition<Project> precondition) {
    ProviderValidator.checkText("name", name, ProviderValidator.MAX_TEXT);
    Project updated =
        writeLock.run(
            () -> {
              Project current = get(id);
              precondition.check(current);
              Project next = new Project(id, name, current.createdAt(), current.archivedAt());
              projects.update(next);
              audit.record("project.updated", id, Optional.empty(), note);
              return next;
            });
    changed.federationChanged();
    return updated;
  }

  /** Archives the project (idempotent): its service accounts can no longer be used by new rules. */
  public Project archive(String id, ChangeNote note) {
    return archive(id, note, Precondition.none());
  }

  /**
   * {@link #archive(String, ChangeNote)} when the stored project satisfies {@code precondition},
   * checked inside the write's admin transaction (also when the project is archived already).
   */
  public Project archive(String id, ChangeNote note, Precondition<Project> precondition) {
    Archival archival =
        writeLock.run(
            () -> {
              Project current = get(id);
              precondition.check(current);
              if (current.archived()) {
                return new Archival(current, false);
              }
              Project archived =
                  new Project(
                      id, current.name(), current.createdAt(), Optional.of(clock.instant()));
              projects.update(archived);
              audit.record("project.archived", id, Optional.empty(), note);
              return new Archival(archived, true);
            });
    if (archival.changed()) {
      changed.federationChanged();
    }
    return archival.project();
  }

  /** The project after {@link #archive}, and whether this call archived it. */
  private record Archival(Project project, boolean changed) {}
}
