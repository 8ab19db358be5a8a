package dev.openwif.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wif token}: local token tools. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Inspect tokens locally.",
    subcommands = {TokenDecodeCommand.class})
public final class TokenCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a sub-command: a usage error, so the usage goes to standard error. Exit 2. */
  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }
}
