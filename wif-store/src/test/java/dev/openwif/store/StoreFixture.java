package dev.openwif.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * One test's database: an SQLite file in a fresh temporary directory, or a freshly created
 * PostgreSQL schema ({@code wif_test_<random>}) dropped afterwards. PostgreSQL is {@code
 * $WIF_TEST_POSTGRES_URL} or {@code postgresql://postgres@127.0.0.1:5432/test}; when it is not
 * reachable the test fails saying so.
 */
final class StoreFixture implements AutoCloseable {
  enum Backend {
    SQLITE,
    POSTGRESQL
  }

  static final String POSTGRES_URL =
      System.getenv()
          .getOrDefault("WIF_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");

  private final Backend backend;
  private final String spec;
  private final Path tempDir;
  private final String schema;
  private JdbcFederationStore store;

  StoreFixture(Backend backend) {
    this.backend = backend;
    try {
      if (backend == Backend.SQLITE) {
        tempDir = Files.createTempDirectory("wif-store-test");
        schema = null;
        spec = tempDir.resolve("nested/dir/wif.db").toString();
      } else {
        tempDir = null;
        schema = "wif_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = postgresAdmin()) {
          c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        spec = POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new AssertionError(
          "PostgreSQL is not reachable at "
              + POSTGRES_URL
              + " (CI starts it; locally run"
              + " 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' or set"
              + " WIF_TEST_POSTGRES_URL): "
              + e.getMessage(),
          e);
    }
  }

  static Connection postgresAdmin() throws SQLException {
    var url = (DatabaseSpec.PostgresUrl) DatabaseSpec.parse(POSTGRES_URL);
    return DriverManager.getConnection(
        url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null));
  }

  Backend backend() {
    return backend;
  }

  /** The PostgreSQL schema of this database (not for SQLite). */
  String schema() {
    if (schema == null) {
      throw new IllegalStateException("an SQLite database has no schema");
    }
    return schema;
  }

  /** The {@code --db} value of this database. */
  String spec() {
    return spec;
  }

  /** The open store, opened on first use. */
  JdbcFederationStore store() {
    if (store == null) {
      store = Stores.open(spec);
    }
    return store;
  }

  /** Closes the store and opens the same database again, as a restarted server would. */
  JdbcFederationStore reopen() {
    if (store != null) {
      store.close();
    }
    store = Stores.open(spec);
    return store;
  }

  @Override
  public void close() throws SQLException, IOException {
    if (store != null) {
      store.close();
    }
    if (schema != null) {
      try (Connection c = postgresAdmin()) {
        c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
    if (tempDir != null) {
      try (Stream<Path> files = Files.walk(tempDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Override
  public String toString() {
    return backend.name().toLowerCase(java.util.Locale.ROOT);
  }
}
