package dev.openwif.cli;

import picocli.CommandLine;

/**
 * One item of an admin API collection, named by its id (a picocli mixin: the subclass declares the
 * {@code ID} parameter, the collection any option naming the parent).
 */
abstract class AdminItem {
  @CommandLine.Mixin final AdminCollection collection;

  AdminItem(AdminCollection collection) {
    this.collection = collection;
  }

  /** The id the command names. */
  abstract String id();

  /** The item's path. */
  final String path() {
    return collection.item(id());
  }
}
