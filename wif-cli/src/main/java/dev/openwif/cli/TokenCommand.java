package dev.openwif.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wif token}: token tools ({@code decode} locally, {@code explain} on a server). */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Inspect tokens: decode one locally, or ask a server to explain its exchange.",
    subcommands = {TokenDecodeCommand.class, TokenExplainCommand.class})
public final class TokenCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a sub-command: a usage error, so the usage goes to standard error. Exit 2. */
  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }
}
