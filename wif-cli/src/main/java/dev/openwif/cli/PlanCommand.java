package dev.openwif.cli;

import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.apply.AdminCalls;
import dev.openwif.cli.apply.DesiredState;
import dev.openwif.cli.apply.LiveStateReader;
import dev.openwif.cli.apply.PlanMaker;
import dev.openwif.cli.apply.PlanText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wif plan -f FILE}: prints what {@code wif apply} would create, change (field by field) and
 * delete on the server, and changes nothing.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Show what 'wif apply -f FILE' would create, change (field by field) and delete on a"
          + " server, without changing anything.",
      "FILE is a configuration file (docs/config-as-code.md); '-' reads it from standard input."
    })
public final class PlanCommand extends ConfigAsCodeCommand {
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "The configuration file ('-': standard input).")
  String file = "-";

  @Option(
      names = "--prune",
      description =
          "Also plan to delete the providers and rules that carry the managed mark and that FILE"
              + " does not name.")
  boolean prune;

  @Override
  int run(AdminCalls admin, AdminApiClient client) {
    DesiredState desired = read(file);
    var plan = PlanMaker.plan(desired, new LiveStateReader(admin).read(), prune);
    PlanText.print(plan, file, spec.commandLine().getOut());
    return 0;
  }
}
