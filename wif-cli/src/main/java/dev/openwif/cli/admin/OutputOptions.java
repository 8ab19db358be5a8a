package dev.openwif.cli.admin;

import picocli.CommandLine.Option;

/** The {@code -o table|json|yaml} option of the remote admin commands (a picocli mixin). */
public final class OutputOptions {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "table")
  OutputFormat format = OutputFormat.table;

  /** The format chosen. */
  public OutputFormat format() {
    return format;
  }
}
