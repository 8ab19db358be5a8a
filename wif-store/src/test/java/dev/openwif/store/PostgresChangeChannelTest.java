package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.ChangeChannel.Change;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The listening connection on a real PostgreSQL, made to flap: every connection it opens is ended
 * by the server ({@code pg_terminate_backend}) 50 ms after it came up. It backs off instead of
 * reconnecting and re-reading everything every 100 ms.
 */
class PostgresChangeChannelTest {
  private static final Duration WATCHED = Duration.ofSeconds(6);

  @Test
  void subscribeWhenListeningConnectionFlapsThenReReadsBackOffInsteadOfEvery100Ms()
      throws Exception {
    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    try (StoreFixture fixture = new StoreFixture(StoreFixture.Backend.POSTGRESQL);
        Database db =
            PostgresConnector.open((DatabaseSpec.PostgresUrl) DatabaseSpec.parse(fixture.spec()))) {
      PostgresChangeChannel.Connector flapping =
          () -> {
            Connection c = StoreFixture.postgresAdmin();
            int pid;
            try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
              rs.next();
              pid = rs.getInt(1);
            }
            var unused = killer.schedule(() -> terminate(pid), 50, TimeUnit.MILLISECONDS);
            return c;
          };
      List<Long> reReads = new CopyOnWriteArrayList<>();
      long start = System.nanoTime();
      AutoCloseable subscription =
          new PostgresChangeChannel(db, flapping)
              .subscribe(
                  change -> {
                    if (change == Change.EVERYTHING) {
                      reReads.add((System.nanoTime() - start) / 1_000_000);
                    }
                  });
      try {
        Thread.sleep(WATCHED.toMillis());
      } finally {
        subscription.close();
      }

      System.out.printf(
          "flapping listener: %d full re-reads in %d s, at ms %s%n",
          reReads.size(), WATCHED.toSeconds(), reReads);
      // 100 ms doubling: connections at about 0, 0.15, 0.4, 0.85, 1.7, 3.35 and 6.6 s
      assertThat(reReads).hasSizeBetween(2, 8);
    } finally {
      killer.shutdownNow();
    }
  }

  private static void terminate(int pid) {
    try (Connection admin = StoreFixture.postgresAdmin();
        Statement s = admin.createStatement()) {
      s.execute("SELECT pg_terminate_backend(" + pid + ")");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not end the listening connection", e);
    }
  }
}
