package dev.openwif.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The "Environment:" section of a command's usage: each variable and what it does, laid out and
 * wrapped by picocli's own table like the option list (a plain footer is wrapped as free text, so
 * its continuation lines would start in column 0).
 */
final class EnvironmentHelp {
  private EnvironmentHelp() {}

  /** An environment variable a command reads, and what it does (a sentence). */
  record Variable(String name, String description) {}

  /** A command that reads environment variables lists them in its usage. */
  interface Documented {
    List<Variable> environment();
  }

  /** Makes {@code cli}'s footer the "Environment:" section listing {@code variables}. */
  static void install(CommandLine cli, List<Variable> variables) {
    cli.getCommandSpec().usageMessage().footerHeading("%nEnvironment:%n");
    cli.getHelpSectionMap()
        .put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> render(help, variables));
  }

  static String render(CommandLine.Help help, List<Variable> variables) {
    int nameWidth = 2 + variables.stream().mapToInt(v -> v.name().length()).max().orElse(0) + 2;
    int width = help.commandSpec().usageMessage().width();
    TextTable table =
        TextTable.forColumns(
            help.colorScheme(),
            new Column(nameWidth, 2, Column.Overflow.SPAN),
            new Column(width - nameWidth, 0, Column.Overflow.WRAP));
    for (Variable variable : variables) {
      table.addRowValues(variable.name(), variable.description());
    }
    return table.toString();
  }
}
