package dev.openwif.cli;

import static dev.openwif.cli.admin.AdminApiClient.segment;

import dev.openwif.cli.admin.Column;
import java.util.List;
import picocli.CommandLine;

/**
 * A collection of the admin API (a picocli mixin): its path below {@code /v1/organization}, which
 * an option naming the parent it belongs to may give, and the columns of its table.
 */
abstract class AdminCollection {
  /** The collection's path, {@code /projects} for example. */
  abstract String path();

  /** The columns of the collection's table. */
  abstract List<Column> columns();

  /** The path of the item {@code id} of this collection. */
  final String item(String id) {
    return path() + "/" + segment(id);
  }

  /** A collection at a fixed path, with no parent to name. */
  static AdminCollection at(String path, List<Column> columns) {
    return new Fixed(path, columns);
  }

  /** A fixed collection: a mixin with no options (picocli wants it annotated, so as a command). */
  @CommandLine.Command
  private static final class Fixed extends AdminCollection {
    private final String path;
    private final List<Column> columns;

    Fixed(String path, List<Column> columns) {
      this.path = path;
      this.columns = columns;
    }

    @Override
    String path() {
      return path;
    }

    @Override
    List<Column> columns() {
      return columns;
    }
  }
}
