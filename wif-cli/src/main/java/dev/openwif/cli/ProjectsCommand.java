package dev.openwif.cli;

import static dev.openwif.cli.admin.AdminApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Column;
import dev.openwif.cli.admin.RequestBody;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
public final class ProjectsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }

  static final List<Column> COLUMNS =
      List.of(
          Column.of("ID", "id"),
          Column.of("NAME", "name"),
          Column.of("STATUS", "status"),
          Column.time("CREATED", "created_at"));

  /** A command on projects: the project table's columns. */
  abstract static class ProjectCommand extends AdminRequestCommand {
    @Override
    List<Column> columns() {
      return COLUMNS;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List projects.")
  static final class ListProjects extends ProjectCommand {
    @CommandLine.Mixin PageOptions page;

    @Option(names = "--include-archived", description = "Also list archived projects.")
    boolean includeArchived;

    @Override
    JsonNode request(AdminApiClient client) {
      Map<String, String> query = page.query();
      if (includeArchived) {
        query.put("include_archived", "true");
      }
      return client.get("/projects", query);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one project.")
  static final class Get extends ProjectCommand {
    @Parameters(paramLabel = "ID", description = "The project's id.")
    String id = "";

    @Override
    JsonNode request(AdminApiClient client) {
      return client.get("/projects/" + segment(id));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a project.")
  static final class Create extends ProjectCommand {
    @Option(names = "--name", paramLabel = "NAME", description = "The project's name.")
    Optional<String> name = Optional.empty();

    @Option(
        names = "-f",
        paramLabel = "FILE",
        description = "Take the body from this JSON or YAML file (options override its fields).")
    Optional<Path> file = Optional.empty();

    @Override
    JsonNode request(AdminApiClient client) {
      return client.post("/projects", body(file, name));
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Rename a project.")
  static final class Update extends ProjectCommand {
    @Parameters(paramLabel = "ID", description = "The project's id.")
    String id = "";

    @Option(names = "--name", paramLabel = "NAME", description = "The project's new name.")
    Optional<String> name = Optional.empty();

    @Option(
        names = "-f",
        paramLabel = "FILE",
        description = "Take the body from this JSON or YAML file (options override its fields).")
    Optional<Path> file = Optional.empty();

    @Override
    JsonNode request(AdminApiClient client) {
      return client.post("/projects/" + segment(id), body(file, name));
    }
  }

  @Command(
      name = "archive",
      mixinStandardHelpOptions = true,
      description = "Archive a project (the API has no delete for projects).")
  static final class Archive extends ProjectCommand {
    @Parameters(paramLabel = "ID", description = "The project's id.")
    String id = "";

    @Override
    JsonNode request(AdminApiClient client) {
      return client.post(
          "/projects/" + segment(id) + "/archive", AdminApiClient.json().createObjectNode());
    }
  }

  private static ObjectNode body(Optional<Path> file, Optional<String> name) {
    ObjectNode body = RequestBody.from(file);
    name.ifPresent(n -> body.put("name", n));
    if (!body.has("name")) {
      throw new IllegalArgumentException("give --name NAME (or a name in the -f file)");
    }
    return body;
  }
}
