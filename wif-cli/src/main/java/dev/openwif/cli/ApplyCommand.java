package dev.openwif.cli;

import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.apply.AdminCalls;
import dev.openwif.cli.apply.DesiredState;
import dev.openwif.cli.apply.LiveState;
import dev.openwif.cli.apply.LiveStateReader;
import dev.openwif.cli.apply.Plan;
import dev.openwif.cli.apply.PlanMaker;
import dev.openwif.cli.apply.PlanRunner;
import dev.openwif.cli.apply.PlanText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wif apply -f FILE}: prints the plan, asks for confirmation (unless {@code --yes}), then
 * makes exactly those changes. A second apply of the same file changes nothing.
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Make a server match a configuration file: print the plan, ask for confirmation (unless"
          + " --yes), then create, change and delete exactly what the plan says.",
      "FILE is a configuration file (docs/config-as-code.md); '-' reads it from standard input"
          + " (then --yes is needed)."
    })
public final class ApplyCommand extends ConfigAsCodeCommand {
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "The configuration file ('-': standard input).")
  String file = "-";

  @Option(
      names = "--prune",
      description =
          "Also delete the providers and rules that carry the managed mark and that FILE does"
              + " not name (nothing else is ever deleted).")
  boolean prune;

  @Option(
      names = {"-y", "--yes"},
      description = "Apply without asking for confirmation.")
  boolean yes;

  @Override
  int run(AdminCalls admin, AdminApiClient client) {
    if (file.equals("-") && !yes) {
      CliErrors.print(
          spec, "-f - reads the file from standard input, which then cannot confirm: add --yes");
      return 2;
    }
    DesiredState desired = read(file);
    LiveState live = new LiveStateReader(admin).read();
    Plan plan = PlanMaker.plan(desired, live, prune);
    PrintWriter out = spec.commandLine().getOut();
    PlanText.print(plan, file, out);
    if (plan.isEmpty()) {
      return 0;
    }
    if (!yes && !confirmed(out, client)) {
      out.println("Nothing applied.");
      out.flush();
      return 1;
    }
    new PlanRunner(admin, out).apply(plan, desired, live);
    out.println(
        "Applied: "
            + plan.count(dev.openwif.cli.apply.Change.Create.class)
            + " created, "
            + plan.count(dev.openwif.cli.apply.Change.Update.class)
            + " changed, "
            + plan.count(dev.openwif.cli.apply.Change.Delete.class)
            + " deleted.");
    out.flush();
    return 0;
  }

  private boolean confirmed(PrintWriter out, AdminApiClient client) {
    out.print("\nApply these changes to " + client.server() + "? Only 'yes' is accepted: ");
    out.flush();
    try {
      String answer =
          new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
      return answer != null && answer.strip().equals("yes");
    } catch (IOException e) {
      return false;
    }
  }
}
