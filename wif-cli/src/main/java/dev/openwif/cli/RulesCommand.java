package dev.openwif.cli;

import dev.openwif.cli.admin.Column;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wif rules list|get|create|update|delete|enable|disable --provider ID}: a provider's
 * federation rules on a running server ({@code
 * /v1/organization/workload_identity_providers/{id}/federation_rules}).
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Manage a provider's federation rules on a server.",
    subcommands = {
      RulesCommand.ListRules.class,
      RulesCommand.Get.class,
      RulesCommand.Create.class,
      RulesCommand.Update.class,
      RulesCommand.Delete.class,
      RulesCommand.Enable.class,
      RulesCommand.Disable.class,
    })
public final class RulesCommand extends CommandGroup {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("ID", "id"),
          Column.of("NAME", "name"),
          Column.of("ENABLED", "enabled"),
          Column.of("SERVICE ACCOUNT", "service_account_id"),
          Column.of("PERMISSIONS", "permissions.type"),
          Column.of("MATCHERS", "attribute_matchers"));

  /** One provider's rules, the provider named by {@code --provider}. */
  static final class Rules extends AdminCollection.Below {
    @Option(
        names = "--provider",
        paramLabel = "ID",
        required = true,
        description = "The provider the rules belong to (wip_...).")
    String provider = "";

    Rules() {
      super(ProvidersCommand.PROVIDERS, "federation_rules", COLUMNS);
    }

    @Override
    String parent() {
      return provider;
    }
  }

  /** A rule, named by its id. */
  static final class Rule extends AdminItem {
    @Parameters(paramLabel = "ID", description = "The rule's id.")
    String id = "";

    Rule() {
      super(new Rules());
    }

    @Override
    String id() {
      return id;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List a provider's rules.")
  static final class ListRules extends ResourceCommands.ListItems {
    @Option(
        names = "--service-account",
        paramLabel = "ID",
        description = "Only the rules granting this service account.")
    Optional<String> serviceAccount = Optional.empty();

    ListRules() {
      super(new Rules());
    }

    @Override
    Map<String, String> query() {
      Map<String, String> query = super.query();
      serviceAccount.ifPresent(id -> query.put("service_account_id", id));
      return query;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a rule.")
  static final class Get extends ResourceCommands.GetItem {
    Get() {
      super(new Rule());
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a rule: which workloads may act as which service account.")
  static final class Create extends ResourceCommands.CreateItem {
    @Option(names = "--disabled", description = "Create it disabled (it matches nothing).")
    boolean disabled;

    Create() {
      super(new Rules(), new RuleFields());
    }

    @Override
    boolean disabled() {
      return disabled;
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Change a rule; only the fields given change.")
  static final class Update extends ResourceCommands.UpdateItem {
    Update() {
      super(new Rule(), new RuleFields());
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a rule.")
  static final class Delete extends ResourceCommands.DeleteItem {
    Delete() {
      super(new Rule());
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enable a rule: matching workloads may exchange again.")
  static final class Enable extends ResourceCommands.SetEnabled {
    Enable() {
      super(new Rule(), true);
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a rule: it stops matching, without deleting it.")
  static final class Disable extends ResourceCommands.SetEnabled {
    Disable() {
      super(new Rule(), false);
    }
  }
}
