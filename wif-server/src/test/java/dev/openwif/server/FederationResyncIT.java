package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.FederationRule;
import dev.openwif.federation.FederationStore;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.store.Stores;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change written to the store without the admin API (another node sharing the database, or a
 * snapshot rebuild that failed after a committed change) reaches the exchange by the periodic
 * re-sync, within {@link FederationSync#RESYNC_INTERVAL_SECONDS} plus a margin.
 */
class FederationResyncIT {
  @TempDir Path dir;
  FederationStore store;
  LiveServer server;
  TestIssuer issuer;
  final Clock clock = Clock.systemUTC();

  @BeforeEach
  void start() {
    store = Stores.open(dir.resolve("wif.db").toString());
    server = LiveServer.start(LiveServer.config(dir), store, clock);
    issuer = TestIssuer.start();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
    issuer.close();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void exchangeWhenRuleDisabledDirectlyInStoreThenRefusedAfterResync() throws InterruptedException {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    assertThat(
            server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock))).status())
        .isEqualTo(200);
    FederationRule rule = store.rules().find(federation.ruleId()).orElseThrow();

    boolean updated = store.rules().update(disabled(rule));
    long writtenAt = System.nanoTime();
    int status = 200;
    while (status == 200 && System.nanoTime() - writtenAt < Duration.ofSeconds(15).toNanos()) {
      Thread.sleep(200);
      status =
          server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock))).status();
    }
    Duration tookEffectAfter = Duration.ofNanos(System.nanoTime() - writtenAt);

    assertThat(updated).isTrue();
    assertThat(status).isEqualTo(401);
    assertThat(server.lastExchangeEvent().get("reason_code").asText())
        .isEqualTo("no_matching_rule");
    assertThat(tookEffectAfter)
        .isLessThan(Duration.ofSeconds(FederationSync.RESYNC_INTERVAL_SECONDS + 2));
  }

  private FederationRule disabled(FederationRule rule) {
    return new FederationRule(
        rule.id(),
        rule.providerId(),
        rule.name(),
        rule.description(),
        false,
        rule.attributeMatchers(),
        rule.projectId(),
        rule.serviceAccountId(),
        rule.permissions(),
        rule.clampToSubjectTokenExpiry(),
        rule.createdAt(),
        clock.instant());
  }
}
