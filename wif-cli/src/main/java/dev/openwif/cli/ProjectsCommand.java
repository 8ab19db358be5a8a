package dev.openwif.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Column;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wif projects list|get|create|update|archive}: projects on a running server, through the
 * admin API ({@code /v1/organization/projects}). Projects are archived, not deleted.
 */
@Command(
    name = "projects",
    mixinStandardHelpOptions = true,
    description = "List, show, create, rename and archive projects on a server.",
    subcommands = {
      ProjectsCommand.ListProjects.class,
      ProjectsCommand.Get.class,
      ProjectsCommand.Create.class,
      ProjectsCommand.Update.class,
      ProjectsCommand.Archive.class,
    })
public final class ProjectsCommand extends CommandGroup {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("ID", "id"),
          Column.of("NAME", "name"),
          Column.of("STATUS", "status"),
          Column.time("CREATED", "created_at"));

  static final AdminCollection PROJECTS = AdminCollection.at("/projects", COLUMNS);

  /** A project, named by its id. */
  static final class Project extends AdminItem {
    @Parameters(paramLabel = "ID", description = "The project's id.")
    String id = "";

    Project() {
      super(PROJECTS);
    }

    @Override
    String id() {
      return id;
    }
  }

  /** A project's one field, its name, over an optional {@code -f} body; required. */
  abstract static class NameField extends BodyFields {
    abstract Optional<String> name();

    @Override
    void setOver(ObjectNode body) {
      name().ifPresent(n -> body.put("name", n));
    }

    @Override
    ObjectNode forCreate() {
      return named(body());
    }

    @Override
    ObjectNode forUpdate() {
      return named(body());
    }
  }

  /** The name of a new project. */
  static final class NewName extends NameField {
    @Option(names = "--name", paramLabel = "NAME", description = "The project's name.")
    Optional<String> name = Optional.empty();

    @Override
    Optional<String> name() {
      return name;
    }
  }

  /** A project's new name. */
  static final class Rename extends NameField {
    @Option(names = "--name", paramLabel = "NAME", description = "The project's new name.")
    Optional<String> name = Optional.empty();

    @Override
    Optional<String> name() {
      return name;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List projects.")
  static final class ListProjects extends ResourceCommands.ListItems {
    @Option(names = "--include-archived", description = "Also list archived projects.")
    boolean includeArchived;

    ListProjects() {
      super(PROJECTS);
    }

    @Override
    Map<String, String> query() {
      Map<String, String> query = super.query();
      if (includeArchived) {
        query.put("include_archived", "true");
      }
      return query;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one project.")
  static final class Get extends ResourceCommands.GetItem {
    Get() {
      super(new Project());
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a project.")
  static final class Create extends ResourceCommands.CreateItem {
    Create() {
      super(PROJECTS, new NewName());
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Rename a project.")
  static final class Update extends ResourceCommands.UpdateItem {
    Update() {
      super(new Project(), new Rename());
    }
  }

  @Command(
      name = "archive",
      mixinStandardHelpOptions = true,
      description = "Archive a project (the API has no delete for projects).")
  static final class Archive extends ResourceCommands.OnItem {
    Archive() {
      super(new Project());
    }

    @Override
    JsonNode request(AdminApiClient client) {
      return client.post(item.path() + "/archive", AdminApiClient.json().createObjectNode());
    }
  }
}
