package dev.openwif.cli;

import static dev.openwif.cli.admin.AdminApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Column;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
public final class RulesCommand implements Callable<Integer> {
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
          Column.of("SERVICE ACCOUNT", "service_account_id"),
          Column.of("PERMISSIONS", "permissions.type"),
          Column.of("MATCHERS", "attribute_matchers"));

  /** A command on one provider's rules. */
  abstract static class RuleCommand extends AdminRequestCommand {
    @Option(
        names = "--provider",
        paramLabel = "ID",
        required = true,
        description = "The provider the rules belong to (wip_...).")
    String provider = "";

    String rules() {
      return ProvidersCommand.PATH + "/" + segment(provider) + "/federation_rules";
    }

    @Override
    List<Column> columns() {
      return COLUMNS;
    }
  }

  /** A command on one rule, named by its id. */
  abstract static class OneRule extends RuleCommand {
    @Parameters(paramLabel = "ID", description = "The rule's id.")
    String id = "";

    String path() {
      return rules() + "/" + segment(id);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List a provider's rules.")
  static final class ListRules extends RuleCommand {
    @CommandLine.Mixin PageOptions page;

    @Option(
        names = "--service-account",
        paramLabel = "ID",
        description = "Only the rules granting this service account.")
    Optional<String> serviceAccount = Optional.empty();

    @Override
    JsonNode request(AdminApiClient client) {
      Map<String, String> query = page.query();
      serviceAccount.ifPresent(id -> query.put("service_account_id", id));
      return client.get(rules(), query);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a rule.")
  static final class Get extends OneRule {
    @Override
    JsonNode request(AdminApiClient client) {
      return client.get(path());
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a rule: which workloads may act as which service account.")
  static final class Create extends RuleCommand {
    @CommandLine.Mixin RuleFields fields;

    @Option(names = "--disabled", description = "Create it disabled (it matches nothing).")
    boolean disabled;

    @Override
    JsonNode request(AdminApiClient client) {
      ObjectNode body = fields.body();
      if (disabled) {
        body.put("enabled", false);
      }
      return client.post(rules(), body);
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Change a rule; only the fields given change.")
  static final class Update extends OneRule {
    @CommandLine.Mixin RuleFields fields;

    @Override
    JsonNode request(AdminApiClient client) {
      ObjectNode body = fields.body();
      if (body.isEmpty()) {
        throw new IllegalArgumentException("nothing to change: give a field option or -f FILE");
      }
      return client.post(path(), body);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a rule.")
  static final class Delete extends OneRule {
    @Override
    JsonNode request(AdminApiClient client) {
      return client.delete(path());
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enable a rule: matching workloads may exchange again.")
  static final class Enable extends OneRule {
    @Override
    JsonNode request(AdminApiClient client) {
      return client.post(path(), AdminApiClient.json().createObjectNode().put("enabled", true));
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a rule: it stops matching, without deleting it.")
  static final class Disable extends OneRule {
    @Override
    JsonNode request(AdminApiClient client) {
      return client.post(path(), AdminApiClient.json().createObjectNode().put("enabled", false));
    }
  }
}
