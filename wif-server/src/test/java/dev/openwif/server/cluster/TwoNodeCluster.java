package dev.openwif.server.cluster;

import dev.openwif.server.ServerConfig;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up of the cluster tests: two real servers (nodes A and B) on a {@link SharedDatabase} of
 * their own, and a test issuer whose tokens they exchange, started before each test and stopped
 * (the database dropped) after it. A test adjusts the nodes' configuration with {@link #configure}.
 */
abstract class TwoNodeCluster {
  @TempDir Path dirA;
  @TempDir Path dirB;
  SharedDatabase db;
  LiveServer nodeA;
  LiveServer nodeB;
  TestIssuer issuer;
  final Clock clock = Clock.systemUTC();

  /** Each node's configuration: the test server's defaults on the shared database, adjusted. */
  ServerConfig configure(ServerConfig node) {
    return node;
  }

  @BeforeEach
  final void startNodes() throws Exception {
    db = new SharedDatabase();
    issuer = TestIssuer.start();
    nodeA = LiveServer.start(configure(db.nodeConfig(dirA)));
    nodeB = LiveServer.start(configure(db.nodeConfig(dirB)));
  }

  @AfterEach
  final void stopNodes() throws SQLException {
    for (LiveServer node : new LiveServer[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    if (issuer != null) {
      issuer.close();
    }
    if (db != null) {
      db.close();
    }
  }
}
