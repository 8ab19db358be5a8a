package dev.openwif.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real servers on one PostgreSQL database, as two nodes behind a load balancer: with replay
 * protection on, a subject token exchanged on node A is refused as a replay on node B (and the
 * other way round), because the nodes share the replay memory in the database. Without replay
 * protection the same token is accepted by both.
 */
@Tag("deployment")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedReplayIT extends TwoNodeCluster {
  @Test
  void exchangeWhenTokenUsedOnNodeAThenRefusedOnNodeB() {
    Federation fed = Federation.uploaded(nodeA, issuer, Federation.allScopes());
    nodeA.updateProvider(fed.providerId(), Map.of("replay_protection", true));
    awaitReplayProtectionOn(nodeB, fed);
    String token = tokenWithJti(fed);

    LiveServer.Reply onA = nodeA.exchangeJson(fed.exchangeParams(token));
    LiveServer.Reply onB = nodeB.exchangeJson(fed.exchangeParams(token));

    assertThat(onA.status()).isEqualTo(200);
    assertThat(onB.status()).isEqualTo(401);
    assertThat(onB.body().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(nodeB.lastExchangeEvent().get("reason_code").asText()).isEqualTo("replayed");
  }

  @Test
  void exchangeWhenTokenUsedOnNodeBThenRefusedOnNodeAAndOnB() {
    Federation fed = Federation.uploaded(nodeA, issuer, Federation.allScopes());
    nodeA.updateProvider(fed.providerId(), Map.of("replay_protection", true));
    awaitReplayProtectionOn(nodeB, fed);
    String token = fed.subjectToken(clock); // no jti: named by its signed content

    assertThat(nodeB.exchangeJson(fed.exchangeParams(token)).status()).isEqualTo(200);
    assertThat(nodeA.exchangeJson(fed.exchangeParams(token)).status()).isEqualTo(401);
    assertThat(nodeA.lastExchangeEvent().get("reason_code").asText()).isEqualTo("replayed");
    assertThat(nodeB.exchangeJson(fed.exchangeParams(token)).status()).isEqualTo(401);
  }

  @Test
  void exchangeWhenReplayProtectionOffThenSameTokenAcceptedOnBothNodes() {
    Federation fed = Federation.uploaded(nodeA, issuer, Federation.allScopes());
    awaitProviderOn(nodeB, fed);
    String token = tokenWithJti(fed);

    assertThat(nodeA.exchangeJson(fed.exchangeParams(token)).status()).isEqualTo(200);
    assertThat(nodeB.exchangeJson(fed.exchangeParams(token)).status()).isEqualTo(200);
  }

  private String tokenWithJti(Federation fed) {
    Map<String, Object> claims = fed.claims(clock);
    claims.put("jti", UUID.randomUUID().toString());
    return issuer.token(claims);
  }

  /**
   * Waits (bounded) until node B has the provider with replay protection on: probes with throwaway
   * tokens until one is refused as a replay on B after it was accepted on B.
   */
  private void awaitReplayProtectionOn(LiveServer node, Federation fed) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      String probe = tokenWithJti(fed);
      if (node.exchangeJson(fed.exchangeParams(probe)).status() == 200
          && node.exchangeJson(fed.exchangeParams(probe)).status() == 401) {
        return;
      }
      sleep();
    }
    throw new AssertionError("node did not learn the provider's replay protection within 20 s");
  }

  private void awaitProviderOn(LiveServer node, Federation fed) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (node.exchangeJson(fed.exchangeParams(tokenWithJti(fed))).status() == 200) {
        return;
      }
      sleep();
    }
    throw new AssertionError("node did not learn the provider within 20 s");
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
