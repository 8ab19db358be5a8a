package dev.openwif.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;

/** Opens a PostgreSQL database: checks it is reachable, migrates it, then pools connections. */
final class PostgresConnector {
  private static final int CONNECT_TIMEOUT_SECONDS = 10;
  private static final int POOL_SIZE = 8;

  private PostgresConnector() {}

  static Database open(DatabaseSpec.PostgresUrl spec) {
    PGSimpleDataSource ds = dataSource(spec);
    check(ds, spec);
    Dialect dialect = new Dialect.Postgres();
    Migrations.migrate(ds, dialect, spec.schema(), spec.display());
    HikariConfig config = new HikariConfig();
    config.setPoolName("wif-postgresql");
    config.setDataSource(ds);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(30_000);
    HikariDataSource pool = new HikariDataSource(config);
    return new Database(dialect, pool);
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
    if (ds.getConnectTimeout() == 0 || ds.getConnectTimeout() > CONNECT_TIMEOUT_SECONDS) {
      ds.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
    }
    ds.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
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
