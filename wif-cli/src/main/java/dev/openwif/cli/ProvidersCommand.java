package dev.openwif.cli;

import static dev.openwif.cli.admin.AdminApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Column;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wif providers list|get|create|update|delete|enable|disable}: workload identity providers
 * on a running server ({@code /v1/organization/workload_identity_providers}).
 */
@Command(
    name = "providers",
    mixinStandardHelpOptions = true,
    description = "Manage workload identity providers on a server.",
    subcommands = {
      ProvidersCommand.ListProviders.class,
      ProvidersCommand.Get.class,
      ProvidersCommand.Create.class,
      ProvidersCommand.Update.class,
      ProvidersCommand.Delete.class,
      ProvidersCommand.Enable.class,
      ProvidersCommand.Disable.class,
    })
public final class ProvidersCommand implements Callable<Integer> {
  static final String PATH = "/workload_identity_providers";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }

  static final List<Column> COLUMNS =
      List.of(
          Column.of("ID", "id"),
          Column.of("NAME", "name"),
          Column.of("ENABLED", "enabled"),
          Column.of("ISSUER", "issuer"),
          Column.of("AUDIENCE", "audience"),
          Column.of("VERIFICATION", "verification.type"));

  /** A command on providers: the provider table's columns. */
  abstract static class ProviderCommand extends AdminRequestCommand {
    @Override
    List<Column> columns() {
      return COLUMNS;
    }
  }

  /** A command on one provider, named by its id. */
  abstract static class OneProvider extends ProviderCommand {
    @Parameters(paramLabel = "ID", description = "The provider's id (wip_...).")
    String id = "";

    String path() {
      return PATH + "/" + segment(id);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List providers.")
  static final class ListProviders extends ProviderCommand {
    @CommandLine.Mixin PageOptions page;

    @Override
    JsonNode request(AdminApiClient client) {
      return client.get(PATH, page.query());
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a provider.")
  static final class Get extends OneProvider {
    @Override
    JsonNode request(AdminApiClient client) {
      return client.get(path());
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a provider (an OIDC issuer whose tokens may be exchanged).")
  static final class Create extends ProviderCommand {
    @CommandLine.Mixin ProviderFields fields;

    @Option(names = "--disabled", description = "Create it disabled (exchanges refused).")
    boolean disabled;

    @Override
    JsonNode request(AdminApiClient client) {
      ObjectNode body = fields.body();
      if (disabled) {
        body.put("enabled", false);
      }
      return client.post(PATH, body);
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Change a provider; only the fields given change.")
  static final class Update extends OneProvider {
    @CommandLine.Mixin ProviderFields fields;

    @Override
    JsonNode request(AdminApiClient client) {
      ObjectNode body = fields.body();
      if (body.isEmpty()) {
        throw new IllegalArgumentException("nothing to change: give a field option or -f FILE");
      }
      return client.post(path(), body);
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a provider (refused while it has federation rules).")
  static final class Delete extends OneProvider {
    @Override
    JsonNode request(AdminApiClient client) {
      return client.delete(path());
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enable a provider: its tokens may be exchanged again.")
  static final class Enable extends OneProvider {
    @Override
    JsonNode request(AdminApiClient client) {
      return client.post(path(), AdminApiClient.json().createObjectNode().put("enabled", true));
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a provider: exchanges with its tokens are refused.")
  static final class Disable extends OneProvider {
    @Override
    JsonNode request(AdminApiClient client) {
      return client.post(path(), AdminApiClient.json().createObjectNode().put("enabled", false));
    }
  }
}
