package dev.openwif.store;

import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Project;
import dev.openwif.federation.ProjectRepository;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** Projects in the {@code projects} table. Thread-safe. */
final class JdbcProjectRepository implements ProjectRepository {
  private static final String COLUMNS = "id, name, created_at, archived_at";
  private static final RowMapper<Project> MAPPER =
      (rs, ctx) ->
          new Project(
              rs.getString("id"),
              rs.getString("name"),
              Columns.instant(rs, "created_at"),
              Columns.optionalInstant(rs, "archived_at"));

  private final Database db;

  JdbcProjectRepository(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void insert(Project project) {
    db.write(
        h ->
            h.createUpdate(
                    "INSERT INTO projects (id, name, created_at, archived_at) VALUES (:id, :name, :createdAt, :archivedAt)")
                .bind("id", project.id())
                .bind("name", project.name())
                .bind("createdAt", project.createdAt().toEpochMilli())
                .bind("archivedAt", Columns.millisOrNull(project.archivedAt()))
                .execute());
  }

  @Override
  public boolean update(Project project) {
    return db.write(
            h ->
                h.createUpdate(
                        "UPDATE projects SET name = :name, created_at = :createdAt, archived_at = :archivedAt WHERE id = :id")
                    .bind("id", project.id())
                    .bind("name", project.name())
                    .bind("createdAt", project.createdAt().toEpochMilli())
                    .bind("archivedAt", Columns.millisOrNull(project.archivedAt()))
                    .execute())
        > 0;
  }

  @Override
  public Optional<Project> find(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM projects WHERE id = :id")
                .bind("id", id)
                .map(MAPPER)
                .findOne());
  }

  @Override
  public Page<Project> list(PageRequest page, boolean includeArchived) {
    String filter = includeArchived ? "1 = 1" : "archived_at IS NULL";
    return db.read(
        h -> CreationOrderPages.fetch(h, "projects", COLUMNS, filter, Map.of(), page, MAPPER));
  }
}
