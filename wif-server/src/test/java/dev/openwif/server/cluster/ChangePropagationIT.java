package dev.openwif.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.ServerConfig;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real servers on one PostgreSQL database with a 60 s poll ({@code --sync-interval 60}), so
 * that only {@code LISTEN}/{@code NOTIFY} can explain a change reaching the other node quickly: an
 * admin change on node A is in force on node B well within a second, and still after node B's
 * listening connection was killed (it reconnects and re-reads everything). Prints the delays.
 */
@Tag("deployment")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChangePropagationIT extends TwoNodeCluster {
  private static final Duration POLL = Duration.ofSeconds(60);

  @Override
  ServerConfig configure(ServerConfig node) {
    return node.withSyncInterval(POLL);
  }

  @Test
  void adminChangeOnNodeAWhenNotifiedThenInForceOnNodeBWithinOneSecond() {
    Federation fed = Federation.uploaded(nodeA, issuer, Federation.allScopes());
    Duration created = untilStatus(nodeB, fed, 200, Duration.ofSeconds(5));
    List<Long> delaysMicros = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      nodeA.updateRule(fed.providerId(), fed.ruleId(), Map.of("enabled", false));
      delaysMicros.add(untilStatus(nodeB, fed, 401, Duration.ofSeconds(5)).toNanos() / 1000);
      nodeA.updateRule(fed.providerId(), fed.ruleId(), Map.of("enabled", true));
      delaysMicros.add(untilStatus(nodeB, fed, 200, Duration.ofSeconds(5)).toNanos() / 1000);
    }
    delaysMicros.sort(null);
    System.out.printf(
        "change propagation A->B over NOTIFY (poll 60 s): federation created %d ms; %d rule"
            + " changes: median %d us, max %d us%n",
        created.toMillis(),
        delaysMicros.size(),
        delaysMicros.get(delaysMicros.size() / 2),
        delaysMicros.getLast());

    assertThat(created).isLessThan(Duration.ofSeconds(1));
    assertThat(delaysMicros.getLast()).isLessThan(1_000_000L);
  }

  @Test
  void adminChangeWhenNodeBListenerConnectionKilledThenItReconnectsAndSeesTheChange()
      throws Exception {
    Federation fed = Federation.uploaded(nodeA, issuer, Federation.allScopes());
    untilStatus(nodeB, fed, 200, Duration.ofSeconds(5));

    db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name ="
            + " 'openwif-listener' AND datname = current_database()");
    nodeA.updateRule(fed.providerId(), fed.ruleId(), Map.of("enabled", false));
    Duration refused = untilStatus(nodeB, fed, 401, Duration.ofSeconds(20));
    System.out.printf(
        "change propagation after the listener connection was killed: %d ms%n", refused.toMillis());

    assertThat(refused).isLessThan(Duration.ofSeconds(10)); // well before the 60 s poll
  }

  /**
   * Exchanges on {@code node} until it answers {@code status}; returns how long that took (fails
   * after {@code bound}).
   */
  private Duration untilStatus(LiveServer node, Federation fed, int status, Duration bound) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < bound.toNanos()) {
      if (node.exchangeJson(fed.exchangeParams(fed.subjectToken(clock))).status() == status) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
    }
    throw new AssertionError("node did not answer " + status + " within " + bound);
  }
}
