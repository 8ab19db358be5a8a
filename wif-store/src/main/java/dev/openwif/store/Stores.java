package dev.openwif.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens the store named by a {@code --db} value.
 *
 * <ul>
 *   <li>A file path (e.g. {@code ./data/wif.db}) is an SQLite database: parent directories are
 *       created, the file is created when missing, WAL journal mode, {@code busy_timeout} 10 s,
 *       foreign keys on.
 *   <li>{@code postgresql://[user[:password]@]host[:port]/database[?params]} (also {@code
 *       postgres://} and {@code jdbc:postgresql://}) is a PostgreSQL database; {@code
 *       ?currentSchema=s} puts everything in schema {@code s}, created when missing. Other
 *       parameters go to the JDBC driver. Unless the URL sets them: {@code connectTimeout} 10 s,
 *       and for the server's pooled connections {@code socketTimeout} 60 s and {@code
 *       statement_timeout} 30 s (see {@code PostgresConnector}).
 * </ul>
 *
 * <p>The schema is migrated (Flyway) before the store is returned.
 */
public final class Stores {
  private Stores() {}

  /**
   * Opens and migrates the store. The caller closes it.
   *
   * @throws IllegalArgumentException with a message naming the problem (never the password): a
   *     blank or unsupported spec, a directory that cannot be created, a file that is not an SQLite
   *     database, an unreachable or refusing PostgreSQL server, a schema that cannot be migrated
   */
  public static JdbcFederationStore open(String dbSpec) {
    return open(dbSpec, AuditQueueSettings.DEFAULTS);
  }

  /**
   * Like {@link #open(String)}, with the audit queue's capacity and bounds (tests use a small
   * queue).
   */
  public static JdbcFederationStore open(String dbSpec, AuditQueueSettings auditQueue) {
    DatabaseSpec spec = DatabaseSpec.parse(dbSpec);
    Database db;
    try {
      db =
          switch (spec) {
            case DatabaseSpec.SqliteFile f -> SqliteConnector.open(f);
            case DatabaseSpec.PostgresUrl p -> PostgresConnector.open(p);
          };
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot open database " + spec.display() + ": " + e.getMessage(), e);
    }
    Optional<PostgresChangeChannel.Connector> listen =
        spec instanceof DatabaseSpec.PostgresUrl p
            ? Optional.of(
                () -> {
                  var listener = PostgresConnector.pooled(p);
                  listener.setApplicationName("openwif-listener");
                  return listener.getConnection();
                })
            : Optional.empty();
    return new JdbcFederationStore(db, spec.display(), auditQueue, listen);
  }

  /**
   * The SQLite file a {@code --db} value names, or empty for a PostgreSQL URL: lets a command tell
   * a missing file (a mistyped path) from an existing database before {@link #open} creates it.
   *
   * @throws IllegalArgumentException when the value is not a valid {@code --db} (as {@link #open})
   */
  public static Optional<Path> sqliteFile(String dbSpec) {
    return DatabaseSpec.parse(dbSpec) instanceof DatabaseSpec.SqliteFile f
        ? Optional.of(f.path())
        : Optional.empty();
  }
}
