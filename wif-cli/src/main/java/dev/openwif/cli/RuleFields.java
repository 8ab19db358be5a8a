package dev.openwif.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The fields of a federation rule's create or update body, as options over an optional {@code -f}
 * body (a picocli mixin). {@code --match} values are strings; a boolean or number matcher is
 * written in the {@code -f} file, where JSON and YAML keep the type.
 */
final class RuleFields extends BodyFields {
  @Option(names = "--name", paramLabel = "NAME", description = "The rule's name.")
  Optional<String> name = Optional.empty();

  @Option(names = "--description", paramLabel = "TEXT", description = "What the rule is for.")
  Optional<String> description = Optional.empty();

  @Option(
      names = "--project",
      paramLabel = "ID",
      description = "The project of the service account the rule grants.")
  Optional<String> project = Optional.empty();

  @Option(
      names = "--service-account",
      paramLabel = "ID",
      description = "The service account the rule lets matching workloads act as.")
  Optional<String> serviceAccount = Optional.empty();

  @Option(
      names = "--match",
      paramLabel = "KEY=VALUE",
      description = "A claim or attribute that must equal VALUE (repeatable; replaces them all).")
  List<String> matchers = List.of();

  @Option(
      names = "--scope",
      paramLabel = "SCOPE",
      description = "Restrict the token to this scope (repeatable).")
  List<String> scopes = List.of();

  @Option(
      names = "--default-permissions",
      description = "Grant the service account's default permissions (no scope restriction).")
  boolean defaultPermissions;

  @Option(
      names = "--clamp-to-subject-token-expiry",
      negatable = true,
      description = "Never let the access token outlive the subject token.")
  @Nullable Boolean clamp;

  @Override
  void setOver(ObjectNode body) {
    name.ifPresent(v -> body.put("name", v));
    description.ifPresent(v -> body.put("description", v));
    project.ifPresent(v -> body.put("project_id", v));
    serviceAccount.ifPresent(v -> body.put("service_account_id", v));
    if (!matchers.isEmpty()) {
      ObjectNode map = body.putObject("attribute_matchers");
      for (String given : matchers) {
        int eq = given.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "--match " + given + ": write KEY=VALUE, for example openai.project=my-project");
        }
        map.put(given.substring(0, eq).strip(), given.substring(eq + 1));
      }
    }
    if (defaultPermissions && !scopes.isEmpty()) {
      throw new IllegalArgumentException("give --scope or --default-permissions, not both");
    }
    if (defaultPermissions) {
      body.putObject("permissions").put("type", "service_account_default");
    }
    if (!scopes.isEmpty()) {
      ObjectNode permissions = body.putObject("permissions").put("type", "restricted");
      ArrayNode list = permissions.putArray("scopes");
      scopes.forEach(list::add);
    }
    if (clamp != null) {
      body.put("clamp_to_subject_token_expiry", clamp);
    }
  }
}
