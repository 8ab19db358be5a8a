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
 *
 * <p>The shared replay memory's admissions, on the exchange's hot path, have a small pool of their
 * own ({@link #admissionPool}) with short bounds that the URL does not change: a database that
 * stops answering, even with the network cut so that no cancel request gets through, fails an
 * admission within about {@link #ADMISSION_SOCKET_TIMEOUT_SECONDS} s instead of the general pool's
 * socket timeout.
 */
final class PostgresConnector {
  /** The longest a caller waits for a pooled connection (Hikari's connection timeout). */
  static final long POOL_WAIT_MILLIS = 5_000;

  static final int CONNECT_TIMEOUT_SECONDS = 10;
  static final int SOCKET_TIMEOUT_SECONDS = 60;
  static final int STATEMENT_TIMEOUT_MILLIS = 30_000;
  private static final int POOL_SIZE = 8;

  /**
   * The server cancels an admission after this long (a lock held on the table). It is the sessions'
   * {@code statement_timeout}, not a driver-side query timeout: that one sends a cancel request
   * over a new connection and waits for it to get through (up to 10 s) before it returns, which
   * with the network cut is exactly what does not happen.
   */
  static final int ADMISSION_STATEMENT_TIMEOUT_MILLIS = 2_000;

  /**
   * The admission pool's socket timeout: the longest an admission waits for an answer when none
   * comes at all (the network cut, the server frozen); also its connect and login timeouts.
   */
  static final int ADMISSION_SOCKET_TIMEOUT_SECONDS = 3;

  /**
   * The longest an admission waits for a connection of its pool, checking an idle one is alive
   * included (measured about 1 s with the network cut; see {@link #ADMISSION_CHECK_MILLIS}).
   */
  static final long ADMISSION_POOL_WAIT_MILLIS = 1_000;

  /**
   * The pool's bound on checking a connection idle for more than half a second before it lends it;
   * the driver's check counts in whole seconds, so in effect 1 s.
   */
  static final long ADMISSION_CHECK_MILLIS = 500;

  /**
   * Connections of the admission pool at most; it keeps none idle while nothing is admitted, so a
   * node without replay-protected providers holds no connection more.
   */
  static final int ADMISSION_POOL_SIZE = 4;

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
    try {
      return Database.withAdmissionPool(dialect, pool, admissionPool(spec));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * The admission pool: the same database and user, {@code socketTimeout}, {@code connectTimeout}
   * and {@code loginTimeout} {@link #ADMISSION_SOCKET_TIMEOUT_SECONDS} s and {@code
   * statement_timeout} {@link #ADMISSION_STATEMENT_TIMEOUT_MILLIS} ms whatever the URL says, at
   * most {@link #ADMISSION_POOL_SIZE} connections, opened on demand (none at start).
   */
  static HikariDataSource admissionPool(DatabaseSpec.PostgresUrl spec) {
    PGSimpleDataSource ds = admissionDataSource(spec);
    HikariConfig config = new HikariConfig();
    config.setPoolName("wif-postgresql-admissions");
    config.setDataSource(ds);
    config.setMaximumPoolSize(ADMISSION_POOL_SIZE);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(ADMISSION_POOL_WAIT_MILLIS);
    config.setValidationTimeout(ADMISSION_CHECK_MILLIS);
    // no connection at start: the general pool has just shown the database answers
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /** The admission pool's data source: {@link #pooled} with the admission bounds. */
  static PGSimpleDataSource admissionDataSource(DatabaseSpec.PostgresUrl spec) {
    PGSimpleDataSource ds = pooled(spec);
    ds.setSocketTimeout(ADMISSION_SOCKET_TIMEOUT_SECONDS);
    ds.setConnectTimeout(ADMISSION_SOCKET_TIMEOUT_SECONDS);
    ds.setLoginTimeout(ADMISSION_SOCKET_TIMEOUT_SECONDS);
    // of two statement_timeout settings in the options the server applies the last
    ds.setOptions(ds.getOptions() + " -c statement_timeout=" + ADMISSION_STATEMENT_TIMEOUT_MILLIS);
    ds.setApplicationName("openwif-admissions");
    return ds;
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
