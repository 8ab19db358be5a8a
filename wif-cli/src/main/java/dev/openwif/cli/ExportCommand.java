package dev.openwif.cli;

import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.apply.AdminCalls;
import dev.openwif.cli.apply.LiveStateReader;
import dev.openwif.cli.apply.StateExport;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code wif export}: the server's projects, service accounts, providers and rules as a
 * configuration file on standard output; applying it plans no change.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a server's projects, service accounts, providers and rules to standard output as a"
          + " configuration file (the format wif plan and wif apply read).",
      "Providers and rules without the managed mark are written with 'managed: false'."
    })
public final class ExportCommand extends ConfigAsCodeCommand {
  @Override
  int run(AdminCalls admin, AdminApiClient client) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(StateExport.yaml(new LiveStateReader(admin).read(), client.server().toString()));
    out.flush();
    return 0;
  }
}
