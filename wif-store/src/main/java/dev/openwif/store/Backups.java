package dev.openwif.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * Backs up and restores an SQLite store with SQLite's online backup API: the copy is one consistent
 * snapshot even while a server writes to the database (it reads through SQLite's own locking, WAL
 * contents included), and a restore writes through a connection, so the target's WAL and lock files
 * stay coherent. A PostgreSQL store is backed up with {@code pg_dump} instead.
 *
 * <p>A restore checks that the file is an OpenWIF database (it has the schema history its
 * migrations write) and that its schema is not newer than this build's: migrations go forward only,
 * so a newer database cannot be used by an older server.
 */
public final class Backups {
  private static final String SCHEMA_HISTORY = "flyway_schema_history";

  private Backups() {}

  /**
   * Copies the SQLite database {@code dbSpec} to the new file {@code out} (mode 0600).
   *
   * @throws IllegalArgumentException naming the problem: a PostgreSQL URL (use {@code pg_dump}), no
   *     database at the path, {@code out} already existing, a failed copy
   */
  public static void backup(String dbSpec, Path out) {
    Path database = existingSqlite(dbSpec, "backup", "pg_dump");
    if (Files.exists(out)) {
      throw new IllegalArgumentException(out + " already exists: give a new file for --out");
    }
    createPrivately(out);
    try (Connection c = connection(database, true)) {
      c.unwrap(SQLiteConnection.class).getDatabase().backup("main", out.toString(), null);
    } catch (SQLException e) {
      deleteQuietly(out);
      throw new IllegalArgumentException(
          "cannot back up " + database + " to " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces the SQLite database {@code dbSpec} by the backup {@code from}, then brings its schema
   * up to this build's. An existing database is replaced only when {@code force}; no server may
   * have it open.
   *
   * @throws IllegalArgumentException naming the problem: a PostgreSQL URL (use {@code pg_restore}),
   *     a backup that is not an OpenWIF database or whose schema is newer than this build's, an
   *     existing database without {@code force}, a failed copy
   */
  public static void restore(Path from, String dbSpec, boolean force) {
    if (!(DatabaseSpec.parse(dbSpec) instanceof DatabaseSpec.SqliteFile target)) {
      throw new IllegalArgumentException(
          "wif restore restores an SQLite database; restore a PostgreSQL database with pg_restore"
              + " (see docs/operations.md)");
    }
    if (!Files.isRegularFile(from)) {
      throw new IllegalArgumentException("no backup at " + from.toAbsolutePath());
    }
    checkBackup(from);
    Path database = target.path().toAbsolutePath().normalize();
    if (Files.exists(database) && !force) {
      throw new IllegalArgumentException(
          database + " already exists: give --force to replace it (stop the server first)");
    }
    // creates the file (mode 0600) and its directory as a new database would be
    Stores.open(database.toString()).close();
    try (Connection c = connection(database, false)) {
      c.unwrap(SQLiteConnection.class).getDatabase().restore("main", from.toString(), null);
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "cannot restore " + from + " into " + database + ": " + e.getMessage(), e);
    }
    Stores.open(database.toString()).close();
  }

  /** Refuses a file that is not an OpenWIF database or was written by a newer version. */
  private static void checkBackup(Path from) {
    SQLiteDataSource source = dataSource(from, true);
    try (Connection c = source.getConnection();
        var tables =
            c.getMetaData().getTables(null, null, SCHEMA_HISTORY, new String[] {"TABLE"})) {
      if (!tables.next()) {
        throw new IllegalArgumentException(
            from + " is not an OpenWIF database (no schema history)");
      }
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          from + " is not an OpenWIF database: " + e.getMessage(), e);
    }
    MigrationInfo[] migrations;
    try {
      migrations =
          Flyway.configure(Backups.class.getClassLoader())
              .dataSource(source)
              .locations(new Dialect.Sqlite().migrationLocations().toArray(String[]::new))
              .load()
              .info()
              .all();
    } catch (FlywayException e) {
      throw new IllegalArgumentException(
          "cannot read the schema history of " + from + ": " + e.getMessage(), e);
    }
    List<MigrationInfo> newer =
        Arrays.stream(migrations)
            .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS)
            .toList();
    if (!newer.isEmpty()) {
      throw new IllegalArgumentException(
          from
              + " has schema version "
              + newer.getLast().getVersion()
              + ", newer than this build's: restore it with the version of wif that wrote it or a"
              + " later one");
    }
  }

  private static Path existingSqlite(String dbSpec, String command, String postgresTool) {
    if (!(DatabaseSpec.parse(dbSpec) instanceof DatabaseSpec.SqliteFile file)) {
      throw new IllegalArgumentException(
          "wif "
              + command
              + " works on an SQLite database; for PostgreSQL use "
              + postgresTool
              + " (see docs/operations.md)");
    }
    Path path = file.path().toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("no database at " + path + " (check --db)");
    }
    return path;
  }

  private static void createPrivately(Path out) {
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (out.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            out,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create " + out + ": " + e, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the error being reported matters more
    }
  }

  private static Connection connection(Path database, boolean readOnly) throws SQLException {
    return dataSource(database, readOnly).getConnection();
  }

  private static SQLiteDataSource dataSource(Path database, boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly);
    config.setBusyTimeout(SqliteConnector.BUSY_TIMEOUT_MILLIS);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + database);
    return ds;
  }
}
