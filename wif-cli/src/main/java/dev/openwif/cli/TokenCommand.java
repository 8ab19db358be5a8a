package dev.openwif.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wif token}: local token tools. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Inspect tokens locally.",
    subcommands = {TokenDecodeCommand.class})
public final class TokenCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
