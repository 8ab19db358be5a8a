package dev.openwif.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens an SQLite file: creates its directory, migrates it, then pools one writer connection
 * (IMMEDIATE transactions, so writes are serialized) and a few reader connections. Every connection
 * has WAL journal mode, {@code busy_timeout} (for other processes on the same file, e.g. {@code wif
 * admin-keys}) and foreign keys on.
 */
final class SqliteConnector {
  static final int BUSY_TIMEOUT_MILLIS = 10_000;
  private static final int READERS = 4;

  private SqliteConnector() {}

  static Database open(DatabaseSpec.SqliteFile spec) {
    Path path = spec.path().toAbsolutePath().normalize();
    prepareDirectory(path);
    Dialect dialect = new Dialect.Sqlite();
    SQLiteDataSource plain = dataSource(path, SQLiteConfig.TransactionMode.DEFERRED);
    check(plain, path);
    Migrations.migrate(plain, dialect, Optional.empty(), path.toString());
    HikariDataSource writer =
        pool("wif-sqlite-writer", dataSource(path, SQLiteConfig.TransactionMode.IMMEDIATE), 1);
    try {
      return new Database(dialect, pool("wif-sqlite-readers", plain, READERS), writer);
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  private static void prepareDirectory(Path path) {
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(
          "database path " + path + " is a directory: give a file path");
    }
    Path parent = path.getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create the database directory " + parent + ": " + e, e);
    }
  }

  private static SQLiteDataSource dataSource(Path path, SQLiteConfig.TransactionMode mode) {
    SQLiteConfig config = new SQLiteConfig();
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setTransactionMode(mode);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + path);
    return ds;
  }

  /** Fails with a clear message when the file cannot be opened or is not an SQLite database. */
  private static void check(SQLiteDataSource ds, Path path) {
    try (Connection c = ds.getConnection();
        var s = c.createStatement()) {
      s.executeQuery("SELECT count(*) FROM sqlite_master").close();
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "cannot open SQLite database " + path + ": " + e.getMessage(), e);
    }
  }

  private static HikariDataSource pool(String name, SQLiteDataSource ds, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setDataSource(ds);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(30_000);
    return new HikariDataSource(config);
  }
}
