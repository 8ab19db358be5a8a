package dev.openwif.cli;

import dev.openwif.server.ServerConfig;
import dev.openwif.store.Backups;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wif backup --db PATH --out FILE}: a consistent copy of an SQLite database, taken while the
 * server runs ({@link Backups#backup}). A PostgreSQL database is backed up with {@code pg_dump}.
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description =
        "Copy an SQLite database to a new file, consistently, while the server runs (PostgreSQL:"
            + " use pg_dump).")
public final class BackupCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--db",
      paramLabel = "PATH",
      description = "The SQLite database to back up (default: ${DEFAULT-VALUE}).",
      defaultValue = ServerConfig.DEFAULT_DB)
  String db;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      required = true,
      description = "The backup file to create (it must not exist; mode 0600).")
  Path out;

  @Override
  public Integer call() {
    try {
      Backups.backup(db, out);
    } catch (IllegalArgumentException e) {
      CliErrors.print(spec, e);
      return 1;
    }
    spec.commandLine().getOut().println("Backed up " + db + " to " + out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
