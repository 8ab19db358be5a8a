package dev.openwif.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens a PostgreSQL database: checks it is reachable, migrates it, then pools connections.
 *
 * <p>Every wait on the server is bounded unless the URL says otherwise: {@code connectTimeout} 10 s
 * (also the login timeout); on the pooled connections the server runs on, {@code socketTimeout} 60
 * s (a stalled server or a silently dropped connection ends in an error instead of a thread blocked
 * forever) and {@code statement_timeout} 30 s (the server cancels a statement waiting on a lock or
 * running away, before the socket timeout fires). The URL overrides each: {@code ?connectTimeout=},
 * {@code ?socketTimeout=} (seconds, 0 = none) and {@code ?options=-c%20statement_timeout%3D<ms>}. A
 * request waits at most {@link #POOL_WAIT_MILLIS} for a pooled connection. Migrations run on a
 * connection with the connect timeout only, so that a long migration is not cut short.
 */
final class PostgresConnector {
  /** The longest a caller waits for a pooled connection (Hikari's connection timeout). */
  static final long POOL_WAIT_MILLIS = 5_000;

  static final int CONNECT_TIMEOUT_SECONDS = 10;
  static final int SOCKET_TIMEOUT_SECONDS = 60;
  static final int STATEMENT_TIMEOUT_MILLIS = 30_000;
  private static final int POOL_SIZE = 8;

  private PostgresConnector() {}

  static Database open(DatabaseSpec.PostgresUrl spec) {
    PGSimpleDataSource migrations = dataSource(spec);
    check(migrations, spec);
    Dialect dialect = new Dialect.Postgres();
    Migrations.migrate(migrations, dialect, spec.schema(), spec.display());
    HikariConfig config = new HikariConfig();
    config.setPoolName("wif-postgresql");
    config.setDataSource(pooled(spec));
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    // a request waits this long at most for a pooled connection (the database down or every
    // connection busy), then fails with a transient error: 503, never a request hanging
    config.setConnectionTimeout(POOL_WAIT_MILLIS);
    HikariDataSource pool = new HikariDataSource(config);
    return new Database(dialect, pool);
  }

  /** The data source of the pool: the connect timeout plus socket and statement timeouts. */
  static PGSimpleDataSource pooled(DatabaseSpec.PostgresUrl spec) {
    PGSimpleDataSource ds = dataSource(spec);
    if (!setInUrl(spec, "socketTimeout")) {
      ds.setSocketTimeout(SOCKET_TIMEOUT_SECONDS);
    }
    String options = ds.getOptions();
    if (options == null || !options.contains("statement_timeout")) {
      String timeout = "-c statement_timeout=" + STATEMENT_TIMEOUT_MILLIS;
      ds.setOptions(options == null || options.isBlank() ? timeout : options + " " + timeout);
    }
    return ds;
  }

  private static boolean setInUrl(DatabaseSpec.PostgresUrl spec, String parameter) {
    int query = spec.jdbcUrl().indexOf('?');
    if (query < 0) {
      return false;
    }
    for (String pair : spec.jdbcUrl().substring(query + 1).split("&", -1)) {
      if (pair.startsWith(parameter + "=")) {
        return true;
      }
    }
    return false;
  }

  private static PGSimpleDataSource dataSource(DatabaseSpec.PostgresUrl spec) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    try {
      ds.setURL(spec.jdbcUrl());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid PostgreSQL URL " + spec.display() + ": " + e.getMessage(), e);
    }
    spec.user().ifPresent(ds::setUser);
    spec.password().ifPresent(ds::setPassword);
    if (!setInUrl(spec, "connectTimeout")) {
      ds.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
    }
    if (!setInUrl(spec, "loginTimeout")) {
      ds.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
    }
    ds.setApplicationName("openwif");
    // the server's DETAIL of a failed statement ("Failing row contains (...)") repeats the row's
    // values, private key material included; keep it out of exception messages
    ds.setLogServerErrorDetail(false);
    return ds;
  }

  /**
   * Fails with a clear message (never the password) when the server cannot be reached or refuses
   * us.
   */
  private static void check(PGSimpleDataSource ds, DatabaseSpec.PostgresUrl spec) {
    try (Connection c = ds.getConnection()) {
      c.isValid(CONNECT_TIMEOUT_SECONDS);
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "cannot connect to PostgreSQL at " + spec.display() + ": " + e.getMessage(), e);
    }
  }
}
