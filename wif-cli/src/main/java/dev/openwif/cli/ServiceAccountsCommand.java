package dev.openwif.cli;

import static dev.openwif.cli.admin.AdminApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Column;
import dev.openwif.cli.admin.RequestBody;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wif service-accounts list|get|create|update|delete --project ID}: a project's service
 * accounts on a running server ({@code /v1/organization/projects/{id}/service_accounts}).
 */
@Command(
    name = "service-accounts",
    mixinStandardHelpOptions = true,
    description = "List, show, create, update and delete a project's service accounts.",
    subcommands = {
      ServiceAccountsCommand.ListAccounts.class,
      ServiceAccountsCommand.Get.class,
      ServiceAccountsCommand.Create.class,
      ServiceAccountsCommand.Update.class,
      ServiceAccountsCommand.Delete.class,
    })
public final class ServiceAccountsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }

  static final List<Column> COLUMNS =
      List.of(
          Column.of("ID", "id"),
          Column.of("NAME", "name"),
          Column.of("ROLE", "role"),
          Column.of("REQUESTS/MIN", "rate_limits.max_requests_per_1_minute"),
          Column.of("TOKENS/MIN", "rate_limits.max_tokens_per_1_minute"),
          Column.time("CREATED", "created_at"));

  /** A command on one project's service accounts. */
  abstract static class AccountCommand extends AdminRequestCommand {
    @Option(
        names = "--project",
        paramLabel = "ID",
        required = true,
        description = "The project the service accounts belong to.")
    String project = "";

    String accounts() {
      return "/projects/" + segment(project) + "/service_accounts";
    }

    @Override
    List<Column> columns() {
      return COLUMNS;
    }
  }

  /** The fields of a create or update, as options over an optional {@code -f} body. */
  static final class Fields {
    @Option(names = "--name", paramLabel = "NAME", description = "The service account's name.")
    Optional<String> name = Optional.empty();

    @Option(
        names = "--max-requests-per-minute",
        paramLabel = "N",
        description = "Limit the gateway requests per minute (rate_limits).")
    Optional<Long> requests = Optional.empty();

    @Option(
        names = "--max-tokens-per-minute",
        paramLabel = "N",
        description = "Limit the model tokens per minute (rate_limits).")
    Optional<Long> tokens = Optional.empty();

    @Option(names = "--clear-rate-limits", description = "Remove both rate limits.")
    boolean clearLimits;

    @Option(
        names = "-f",
        paramLabel = "FILE",
        description = "Take the body from this JSON or YAML file (options override its fields).")
    Optional<Path> file = Optional.empty();

    ObjectNode body() {
      ObjectNode body = RequestBody.from(file);
      name.ifPresent(n -> body.put("name", n));
      if (clearLimits) {
        if (requests.isPresent() || tokens.isPresent()) {
          throw new IllegalArgumentException(
              "--clear-rate-limits cannot be combined with a --max-... option");
        }
        body.putNull("rate_limits");
      }
      if (requests.isPresent() || tokens.isPresent()) {
        ObjectNode limits =
            body.get("rate_limits") instanceof ObjectNode given
                ? given
                : body.putObject("rate_limits");
        requests.ifPresent(n -> limits.put("max_requests_per_1_minute", n));
        tokens.ifPresent(n -> limits.put("max_tokens_per_1_minute", n));
      }
      return body;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a project's service accounts.")
  static final class ListAccounts extends AccountCommand {
    @CommandLine.Mixin PageOptions page;

    @Override
    JsonNode request(AdminApiClient client) {
      return client.get(accounts(), page.query());
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a service account.")
  static final class Get extends AccountCommand {
    @Parameters(paramLabel = "ID", description = "The service account's id.")
    String id = "";

    @Override
    JsonNode request(AdminApiClient client) {
      return client.get(accounts() + "/" + segment(id));
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a service account (it never gets a long-lived API key).")
  static final class Create extends AccountCommand {
    @CommandLine.Mixin Fields fields;

    @Override
    JsonNode request(AdminApiClient client) {
      ObjectNode body = fields.body();
      if (!body.has("name")) {
        throw new IllegalArgumentException("give --name NAME (or a name in the -f file)");
      }
      return client.post(accounts(), body);
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Rename a service account or change its rate limits.")
  static final class Update extends AccountCommand {
    @Parameters(paramLabel = "ID", description = "The service account's id.")
    String id = "";

    @CommandLine.Mixin Fields fields;

    @Override
    JsonNode request(AdminApiClient client) {
      ObjectNode body = fields.body();
      if (body.isEmpty()) {
        throw new IllegalArgumentException(
            "nothing to change: give --name, a rate limit option or -f FILE");
      }
      return client.post(accounts() + "/" + segment(id), body);
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a service account.")
  static final class Delete extends AccountCommand {
    @Parameters(paramLabel = "ID", description = "The service account's id.")
    String id = "";

    @Override
    JsonNode request(AdminApiClient client) {
      return client.delete(accounts() + "/" + segment(id));
    }
  }
}
