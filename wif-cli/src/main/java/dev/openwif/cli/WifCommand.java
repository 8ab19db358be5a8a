package dev.openwif.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code wif} command line. Commands parse their options and delegate; they hold no logic.
 *
 * <p>Each command registers itself in the {@code subcommands} list below.
 */
@Command(
    name = "wif",
    mixinStandardHelpOptions = true,
    version = "OpenWIF 0.1.0",
    description = "OpenWIF: self-hosted workload identity federation, wire-compatible with OpenAI's.",
    subcommands = {
      CommandLine.HelpCommand.class,
      EmulateCommand.class,
      TokenCommand.class,
      ServeCommand.class,
      AdminKeysCommand.class,
      DemoCommand.class,
    })
public final class WifCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new WifCommand()).execute(args));
  }
}
