package dev.openwif.cli;

import dev.openwif.cli.admin.Column;
import java.util.List;
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
public final class ProvidersCommand extends CommandGroup {
  static final String PATH = "/workload_identity_providers";

  static final List<Column> COLUMNS =
      List.of(
          Column.of("ID", "id"),
          Column.of("NAME", "name"),
          Column.of("ENABLED", "enabled"),
          Column.of("ISSUER", "issuer"),
          Column.of("AUDIENCE", "audience"),
          Column.of("VERIFICATION", "verification.type"));

  static final AdminCollection PROVIDERS = AdminCollection.at(PATH, COLUMNS);

  /** A provider, named by its id. */
  static final class Provider extends AdminItem {
    @Parameters(paramLabel = "ID", description = "The provider's id (wip_...).")
    String id = "";

    Provider() {
      super(PROVIDERS);
    }

    @Override
    String id() {
      return id;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List providers.")
  static final class ListProviders extends ResourceCommands.ListItems {
    ListProviders() {
      super(PROVIDERS);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a provider.")
  static final class Get extends ResourceCommands.GetItem {
    Get() {
      super(new Provider());
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a provider (an OIDC issuer whose tokens may be exchanged).")
  static final class Create extends ResourceCommands.CreateItem {
    @Option(names = "--disabled", description = "Create it disabled (exchanges refused).")
    boolean disabled;

    Create() {
      super(PROVIDERS, new ProviderFields());
    }

    @Override
    boolean disabled() {
      return disabled;
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Change a provider; only the fields given change.")
  static final class Update extends ResourceCommands.UpdateItem {
    Update() {
      super(new Provider(), new ProviderFields());
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a provider (refused while it has federation rules).")
  static final class Delete extends ResourceCommands.DeleteItem {
    Delete() {
      super(new Provider());
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enable a provider: its tokens may be exchanged again.")
  static final class Enable extends ResourceCommands.SetEnabled {
    Enable() {
      super(new Provider(), true);
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a provider: exchanges with its tokens are refused.")
  static final class Disable extends ResourceCommands.SetEnabled {
    Disable() {
      super(new Provider(), false);
    }
  }
}
