package dev.openwif.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens an SQLite file: creates its directory (mode 0700) and the file (mode 0600; SQLite gives its
 * {@code -wal} and {@code -shm} files the same mode) when they do not exist, warns when an existing
 * file is open to the group or others or its directory is writable by them, migrates it, then pools
 * one writer connection (IMMEDIATE transactions, so writes are serialized) and a few reader
 * connections. Every connection has WAL journal mode, {@code synchronous=FULL} (each commit is
 * synced to disk before it returns, so an acknowledged admin change survives a power loss; the
 * exchange path's audit and usage writes are batched off the request thread, so they pay this once
 * per batch), {@code busy_timeout} (for other processes on the same file, e.g. {@code wif
 * admin-keys}) and foreign keys on.
 */
final class SqliteConnector {
  static final int BUSY_TIMEOUT_MILLIS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(SqliteConnector.class);
  private static final Set<PosixFilePermission> PRIVATE_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> PRIVATE_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.complementOf(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));
  private static final int READERS = 4;

  private SqliteConnector() {}

  static Database open(DatabaseSpec.SqliteFile spec) {
    Path path = spec.path().toAbsolutePath().normalize();
    prepareDirectory(path);
    createPrivately(path);
    warnIfShared(path);
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
      if (parent != null && !Files.isDirectory(parent)) {
        if (posix(parent.getRoot())) {
          Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
        } else {
          Files.createDirectories(parent);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create the database directory " + parent + ": " + e, e);
    }
  }

  /** Creates an absent database file readable and writable by its owner only. */
  private static void createPrivately(Path path) {
    if (Files.exists(path) || !posix(path)) {
      return;
    }
    try {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
    } catch (FileAlreadyExistsException e) {
      // created by another process meanwhile: warnIfShared checks it
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the database file " + path + ": " + e, e);
    }
  }

  /**
   * The database holds signing keys (plain without a master key) and hashed admin keys: a file or
   * directory that the group or others may read is reported at every start, with the fix.
   */
  private static void warnIfShared(Path path) {
    Path parent = path.getParent();
    for (Path p : parent == null ? List.of(path) : List.of(parent, path)) {
      if (!posix(p) || !Files.exists(p)) {
        continue;
      }
      try {
        Set<PosixFilePermission> shared = EnumSet.noneOf(PosixFilePermission.class);
        shared.addAll(Files.getPosixFilePermissions(p));
        // the file: nobody else may read or write it; its directory: nobody else may write it
        // (list it, yes: a directory made with a plain mkdir is 0755, and the 0600 file is safe)
        shared.retainAll(Files.isDirectory(p) ? GROUP_OR_OTHERS_WRITE : GROUP_OR_OTHERS);
        if (!shared.isEmpty()) {
          LOG.warn(
              "{} is open to its group or others ({}); the database holds signing keys and admin"
                  + " key hashes: chmod {} {}",
              p,
              PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
              Files.isDirectory(p) ? "700" : "600",
              p);
        }
      } catch (IOException e) {
        LOG.warn("cannot read the permissions of {}: {}", p, e.toString());
      }
    }
  }

  private static boolean posix(@Nullable Path path) {
    return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static SQLiteDataSource dataSource(Path path, SQLiteConfig.TransactionMode mode) {
    SQLiteConfig config = new SQLiteConfig();
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
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
