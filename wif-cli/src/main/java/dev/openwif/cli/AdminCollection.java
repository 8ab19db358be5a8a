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
  private final List<Column> columns;

  AdminCollection(List<Column> columns) {
    this.columns = columns;
  }

  /** The collection's path, {@code /projects} for example. */
  abstract String path();

  /** The columns of the collection's table. */
  final List<Column> columns() {
    return columns;
  }

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

    Fixed(String path, List<Column> columns) {
      super(columns);
      this.path = path;
    }

    @Override
    String path() {
      return path;
    }
  }

  /**
   * A collection inside one item of another collection, the parent item named by an option the
   * subclass declares.
   */
  abstract static class Below extends AdminCollection {
    private final AdminCollection parents;
    private final String name;

    Below(AdminCollection parents, String name, List<Column> columns) {
      super(columns);
      this.parents = parents;
      this.name = name;
    }

    /** The id of the parent item, as the option gave it. */
    abstract String parent();

    @Override
    final String path() {
      return parents.item(parent()) + "/" + name;
    }
  }
}
