package dev.openwif.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wif emulate}: run an emulator of a workload's identity source. */
@Command(
    name = "emulate",
    mixinStandardHelpOptions = true,
    description =
        "Run an emulator: Google's metadata server (gce-metadata) or a GKE service account issuer (gke).",
    subcommands = {EmulateGceMetadataCommand.class, EmulateGkeCommand.class})
public final class EmulateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a sub-command: a usage error, so the usage goes to standard error. Exit 2. */
  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }
}
