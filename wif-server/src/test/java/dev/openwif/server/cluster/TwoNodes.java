package dev.openwif.server.cluster;

import dev.openwif.server.ServerConfig;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/**
 * Two real servers (nodes A and B) on a {@link SharedDatabase} of their own, and a test issuer
 * whose tokens they exchange: the set-up of the cluster tests. {@link #close()} stops all of it and
 * drops the database.
 */
final class TwoNodes implements AutoCloseable {
  final SharedDatabase db;
  final TestIssuer issuer;
  private LiveServer a;
  private LiveServer b;

  private TwoNodes(SharedDatabase db, TestIssuer issuer) {
    this.db = db;
    this.issuer = issuer;
  }

  /**
   * Starts both nodes, each with the test server's defaults on the shared database adjusted by
   * {@code configure}, and the issuer.
   */
  static TwoNodes start(Path dirA, Path dirB, UnaryOperator<ServerConfig> configure)
      throws Exception {
    SharedDatabase db = new SharedDatabase();
    TwoNodes nodes = new TwoNodes(db, TestIssuer.start());
    try {
      nodes.a = LiveServer.start(configure.apply(db.nodeConfig(dirA)));
      nodes.b = LiveServer.start(configure.apply(db.nodeConfig(dirB)));
      return nodes;
    } catch (RuntimeException e) {
      nodes.close();
      throw e;
    }
  }

  LiveServer a() {
    return a;
  }

  LiveServer b() {
    return b;
  }

  @Override
  public void close() throws SQLException {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    issuer.close();
    db.close();
  }
}
