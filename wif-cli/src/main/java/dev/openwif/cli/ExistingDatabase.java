package dev.openwif.cli;

import dev.openwif.federation.FederationStore;
import dev.openwif.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Opens the database a maintenance command ({@code wif admin-keys}, {@code wif signing-keys}) works
 * on. Unlike {@code wif serve}, it never creates one: a SQLite file that does not exist is named,
 * with the command that would create it.
 */
final class ExistingDatabase {
  private ExistingDatabase() {}

  /** The opened store, or empty after printing why it cannot be opened (the command exits 1). */
  static Optional<FederationStore> open(CommandLine.Model.CommandSpec spec, String db) {
    try {
      Optional<Path> file = Stores.sqliteFile(db);
      if (file.isPresent() && !Files.isRegularFile(file.get())) {
        CliErrors.print(
            spec,
            "no database at "
                + file.get().toAbsolutePath()
                + " (check --db; 'wif serve --db "
                + db
                + "' creates a new one)");
        return Optional.empty();
      }
      return Optional.of(Stores.open(db));
    } catch (IllegalArgumentException e) {
      CliErrors.print(spec, e);
      return Optional.empty();
    }
  }
}
