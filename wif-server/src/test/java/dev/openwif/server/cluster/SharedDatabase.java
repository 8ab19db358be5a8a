package dev.openwif.server.cluster;

import dev.openwif.server.ServerConfig;
import dev.openwif.server.sts.LiveServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A PostgreSQL database of a test's own ({@code wif_nodes_<random>}, dropped afterwards) that
 * several real servers share, as nodes behind a load balancer do. PostgreSQL is {@code
 * $WIF_TEST_POSTGRES_URL} or {@code postgresql://postgres@127.0.0.1:5432/test}.
 */
final class SharedDatabase implements AutoCloseable {
  static final String POSTGRES_URL =
      System.getenv()
          .getOrDefault("WIF_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");

  private final String name;

  SharedDatabase() throws SQLException {
    name = "wif_nodes_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    sql("CREATE DATABASE " + name);
  }

  /** The {@code --db} value naming this database. */
  String url() {
    return POSTGRES_URL.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
  }

  /** A node's configuration: the test server's defaults on this database. */
  ServerConfig nodeConfig(Path dir) {
    return LiveServer.config(dir).withDbSpec(url());
  }

  /** Runs {@code statement} on this database (as the test's superuser). */
  void execute(String statement) throws SQLException {
    try (Connection c = connect(name);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Override
  public void close() throws SQLException {
    sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
            + name
            + "' AND pid <> pg_backend_pid()");
    sql("DROP DATABASE IF EXISTS " + name);
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = connect(null);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static Connection connect(String database) throws SQLException {
    String rest = POSTGRES_URL.replaceFirst("^postgres(ql)?://", "");
    int at = rest.indexOf('@');
    String user = at < 0 ? null : rest.substring(0, at);
    String hostAndDb = rest.substring(at + 1);
    if (database != null) {
      hostAndDb = hostAndDb.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    }
    return DriverManager.getConnection("jdbc:postgresql://" + hostAndDb, user, (String) null);
  }
}
