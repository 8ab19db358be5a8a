package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.ReasonCode;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose database reads fail stops honouring its old federation snapshot once it is older
 * than {@code --max-snapshot-age} (issue 11 item 7), over real HTTP with a real failure: the
 * providers table of the server's SQLite file is renamed by another connection, so every re-sync
 * fails. The server's clock is moved past the maximum age (15 s here) instead of waiting for it;
 * the failing re-syncs run on real time. Then exchanges answer 503 {@code temporarily_unavailable}
 * audited {@code snapshot_stale}, and {@code /v1} answers 401 {@code invalid_token} even for a
 * token it accepted a moment before. Once the table is back, the next re-sync restores service.
 */
@Tag("crypto-neutral")
class SnapshotAgeIT {
  @TempDir static Path dir;
  static final MutableClock clock = MutableClock.startingNow();
  static Arena arena;

  @BeforeAll
  static void start() {
    arena =
        Arena.start(dir, clock, config -> config.withMaxSnapshotAge(Duration.ofSeconds(15)))
            .uploaded();
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  @Test
  void whenDatabaseReadsFailPastMaxAgeThenExchange503AndGateway401UntilAReadSucceeds()
      throws Exception {
    String accessToken = arena.assertIssued(arena.main().subjectToken(clock));
    assertThat(models(accessToken).status()).isEqualTo(200);

    rename("workload_identity_providers", "providers_away");
    try {
      clock.advance(Duration.ofSeconds(20));
      Thread.sleep(6_000); // at least one re-sync tick fails on the renamed table

      Optional<String> before = arena.newestExchangeEventId();
      String subjectToken = arena.main().subjectToken(clock);
      LiveServer.Reply stale = arena.exchange(subjectToken);
      arena.assertRefusedReply(
          stale,
          before,
          503,
          "temporarily_unavailable",
          ReasonCode.SNAPSHOT_STALE,
          Optional.of(subjectToken));
      assertThat(stale.header("Retry-After")).isPresent();

      assertThat(arena.logs().text())
          .as("the operator is told loudly")
          .contains("federation snapshot stale (")
          .contains("exchanges answer 503 and /v1 401 until a re-sync succeeds");

      LiveServer.Reply refused = models(accessToken);
      assertThat(refused.status()).as(refused.raw().body()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate").orElse("")).contains("invalid_token");
    } finally {
      rename("providers_away", "workload_identity_providers");
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline) {
      status = models(accessToken).status();
      if (status == 200) {
        break;
      }
      Thread.sleep(250);
    }
    assertThat(status).as("the gateway recovers after the next successful re-sync").isEqualTo(200);
    arena.assertIssued(arena.main().subjectToken(clock));
  }

  private static LiveServer.Reply models(String accessToken) {
    return arena.server.get("/v1/models", Optional.of(accessToken));
  }

  /** Renames a table of the server's database from a separate connection (a real read failure). */
  private static void rename(String from, String to) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("wif.db"));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      s.execute("ALTER TABLE " + from + " RENAME TO " + to);
    }
  }
}
