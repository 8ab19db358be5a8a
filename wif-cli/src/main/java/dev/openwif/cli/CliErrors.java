package dev.openwif.cli;

import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The one way the CLI reports an error: a single line {@code wif: error: <what is wrong>} on
 * standard error, never a stack trace. Also the picocli handlers for a bad command line and for an
 * exception no command caught.
 */
final class CliErrors {
  static final String PREFIX = "wif: error: ";

  private CliErrors() {}

  /** Prints {@code wif: error: message} on the command's standard error. */
  static void print(CommandLine.Model.CommandSpec spec, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(PREFIX + message);
    err.flush();
  }

  /**
   * Prints the exception's message as the error line, or its class name when it has no message (so
   * the line never reads "null").
   */
  static void print(CommandLine.Model.CommandSpec spec, Exception e) {
    String message = e.getMessage();
    print(spec, message == null ? e.getClass().getSimpleName() : message);
  }

  /**
   * A bad option or argument: the error line, then where to find the usage. Exit 2. A word where a
   * command with sub-commands expects one is an unknown command, not picocli's "Unmatched
   * argument".
   */
  static int badCommandLine(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println(
        PREFIX
            + unknownCommand(e)
                .map(word -> "unknown command '" + word + "'")
                .orElse(e.getMessage()));
    err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return 2;
  }

  /**
   * The word given as a sub-command when it names none: the first unmatched argument of a command
   * that has sub-commands, when it is not an option.
   */
  private static Optional<String> unknownCommand(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)
        || e.getCommandLine().getSubcommands().isEmpty()
        || unmatched.getUnmatched().isEmpty()) {
      return Optional.empty();
    }
    String word = unmatched.getUnmatched().getFirst();
    return word.startsWith("-") ? Optional.empty() : Optional.of(word);
  }

  /**
   * A command that only groups sub-commands, run without one: its usage on standard error (it is a
   * usage error, as with git). Exit 2.
   */
  static int missingSubcommand(CommandLine.Model.CommandSpec spec) {
    CommandLine cli = spec.commandLine();
    cli.usage(cli.getErr());
    cli.getErr().flush();
    return 2;
  }

  /** An exception no command caught: its message only (the cause's when it has none). Exit 1. */
  static int unexpected(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
    Throwable shown = e;
    while (shown.getMessage() == null && shown.getCause() != null) {
      shown = shown.getCause();
    }
    String message = shown.getMessage();
    PrintWriter err = cli.getErr();
    err.println(PREFIX + (message == null ? shown.getClass().getSimpleName() : message));
    err.flush();
    return 1;
  }
}
