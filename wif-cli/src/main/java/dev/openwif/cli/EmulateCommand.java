package dev.openwif.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wif emulate}: run an emulator of a workload's identity source. */
@Command(
    name = "emulate",
    mixinStandardHelpOptions = true,
    description =
        "Run an emulator: Google's metadata server (gce-metadata) or a GKE service account issuer (gke).",
    subcommands = {EmulateGceMetadataCommand.class, EmulateGkeCommand.class})
public final class EmulateCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
