package dev.openwif.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that only groups sub-commands: without one, a usage error, so the usage goes to
 * standard error. Exit 2.
 */
abstract class CommandGroup implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return CliErrors.missingSubcommand(spec);
  }
}
