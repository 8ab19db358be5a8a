package dev.openwif.cli;

import dev.openwif.server.ServerConfig;
import dev.openwif.store.Backups;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wif restore --from FILE --db PATH [--force]}: puts a {@code wif backup} file in place as
 * the SQLite database ({@link Backups#restore}). The server must be stopped. A PostgreSQL database
 * is restored with {@code pg_restore}.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description =
        "Restore an SQLite database from a wif backup file; stop the server first (PostgreSQL:"
            + " use pg_restore).")
public final class RestoreCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--from",
      paramLabel = "FILE",
      required = true,
      description = "The backup file, made by wif backup.")
  Path from;

  @Option(
      names = "--db",
      paramLabel = "PATH",
      description = "The SQLite database to create (default: ${DEFAULT-VALUE}).",
      defaultValue = ServerConfig.DEFAULT_DB)
  String db;

  @Option(
      names = "--force",
      description = "Replace the database when it exists (its current content is lost).")
  boolean force;

  @Override
  public Integer call() {
    try {
      Backups.restore(from, db, force);
    } catch (IllegalArgumentException e) {
      CliErrors.print(spec, e);
      return 1;
    }
    spec.commandLine().getOut().println("Restored " + from + " to " + db);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
