package dev.openwif.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.Column;
import java.util.List;
import java.util.Optional;
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
public final class ServiceAccountsCommand extends CommandGroup {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("ID", "id"),
          Column.of("NAME", "name"),
          Column.of("ROLE", "role"),
          Column.of("REQUESTS/MIN", "rate_limits.max_requests_per_1_minute"),
          Column.of("TOKENS/MIN", "rate_limits.max_tokens_per_1_minute"),
          Column.time("CREATED", "created_at"));

  /** One project's service accounts, the project named by {@code --project}. */
  static final class Accounts extends AdminCollection.Below {
    @Option(
        names = "--project",
        paramLabel = "ID",
        required = true,
        description = "The project the service accounts belong to.")
    String project = "";

    Accounts() {
      super(ProjectsCommand.PROJECTS, "service_accounts", COLUMNS);
    }

    @Override
    String parent() {
      return project;
    }
  }

  /** A service account, named by its id. */
  static final class Account extends AdminItem {
    @Parameters(paramLabel = "ID", description = "The service account's id.")
    String id = "";

    Account() {
      super(new Accounts());
    }

    @Override
    String id() {
      return id;
    }
  }

  /** The fields of a create or update, as options over an optional {@code -f} body. */
  static final class Fields extends BodyFields {
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

    @Override
    void setOver(ObjectNode body) {
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
    }

    @Override
    ObjectNode forCreate() {
      return named(body());
    }

    @Override
    String nothingToChange() {
      return "nothing to change: give --name, a rate limit option or -f FILE";
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a project's service accounts.")
  static final class ListAccounts extends ResourceCommands.ListItems {
    ListAccounts() {
      super(new Accounts());
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a service account.")
  static final class Get extends ResourceCommands.GetItem {
    Get() {
      super(new Account());
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a service account (it never gets a long-lived API key).")
  static final class Create extends ResourceCommands.CreateItem {
    Create() {
      super(new Accounts(), new Fields());
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Rename a service account or change its rate limits.")
  static final class Update extends ResourceCommands.UpdateItem {
    Update() {
      super(new Account(), new Fields());
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a service account.")
  static final class Delete extends ResourceCommands.DeleteItem {
    Delete() {
      super(new Account());
    }
  }
}
