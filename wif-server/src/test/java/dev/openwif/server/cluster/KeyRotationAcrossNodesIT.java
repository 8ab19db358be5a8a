package dev.openwif.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.ChangeChannel;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.admin.SigningKeyAdmin;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.store.Stores;
import dev.openwif.token.SigningKeyRotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A signing-key rotation made by another process (as {@code wif signing-keys rotate} does) on the
 * database two real servers share, with a 60 s poll so that only the rotation's {@code NOTIFY} can
 * tell them early: the new key is in both nodes' JWKS long before it signs; while tokens are
 * exchanged on one node and used on the other across the whole rotation, none is refused; no token
 * carries the new key before its activation time, and every token asked for after it carries it.
 * Prints the delays.
 */
@Tag("deployment")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KeyRotationAcrossNodesIT extends TwoNodeCluster {
  private static final Duration POLL = Duration.ofSeconds(60);
  private static final Duration PUBLISH_AHEAD = Duration.ofSeconds(3);

  @Override
  ServerConfig configure(ServerConfig node) {
    // one public URL (the tokens' issuer and audience), as nodes behind one balancer have
    return node.withSyncInterval(POLL).withPublicUrl("http://wif.cluster.test");
  }

  @Test
  void rotateWhenPublishedAheadThenEveryNodeVerifiesTheKeyBeforeItSignsAndNoTokenIsRefused()
      throws Exception {
    Federation fed = Federation.uploaded(nodeA, issuer, Federation.allScopes());
    awaitExchange(nodeB, fed);
    String oldKid = kid(exchange(nodeA, fed));

    SigningKeyRotation.Rotated rotated;
    long rotatedAt;
    try (FederationStore cli = Stores.open(db.url())) {
      SigningKeyAdmin admin =
          SigningKeyAdmin.forStore(
              cli,
              Optional.empty(),
              ServerConfig.DEFAULT_TOKEN_TTL,
              clock,
              new RandomIdGenerator());
      rotated = admin.rotate(PUBLISH_AHEAD, "cli").orElseThrow();
      rotatedAt = System.nanoTime();
      cli.changeChannel().orElseThrow().publish(ChangeChannel.Change.SIGNING_KEYS);
    }
    String newKid = rotated.activeKid();
    assertThat(rotated.previousKid()).isEqualTo(oldKid);

    Duration publishedOnA = untilJwksLists(nodeA, newKid, rotatedAt);
    Duration publishedOnB = untilJwksLists(nodeB, newKid, rotatedAt);
    assertThat(publishedOnA).isLessThan(PUBLISH_AHEAD);
    assertThat(publishedOnB).isLessThan(PUBLISH_AHEAD);

    int used = 0;
    int refused = 0;
    List<String> early = new ArrayList<>();
    List<String> late = new ArrayList<>();
    Instant firstNewKey = null;
    Instant until = rotated.activatesAt().plusSeconds(2);
    long paceStart = System.nanoTime();
    while (Instant.now().isBefore(until)) {
      // 40 exchanges a second in all: under the per-address exchange limit of each node
      long due = paceStart + used * Duration.ofMillis(25).toNanos();
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(Duration.ofNanos(wait));
      }
      boolean fromA = used % 2 == 0;
      Instant sent = Instant.now();
      String token = exchange(fromA ? nodeA : nodeB, fed);
      // read after the reply: a node that signed with the new key must have done so before this
      // instant, so a reply before the activation is proof of an early signature (an exchange
      // that straddles the activation may rightly carry either key)
      Instant answered = Instant.now();
      String kid = kid(token);
      if (kid.equals(newKid)) {
        if (answered.isBefore(rotated.activatesAt())) {
          early.add(kid);
        }
        if (firstNewKey == null) {
          firstNewKey = Instant.now();
        }
      } else {
        assertThat(kid).isEqualTo(oldKid);
        // both nodes listed the new key long before: one asked after the activation must use it
        if (!sent.isBefore(rotated.activatesAt())) {
          late.add(kid);
        }
      }
      LiveServer.Reply use = (fromA ? nodeB : nodeA).get("/v1/models", Optional.of(token));
      if (use.status() != 200) {
        refused++;
        System.out.printf("refused (%s): %d %s%n", kid, use.status(), use.raw().body());
      }
      used++;
    }
    System.out.printf(
        "signing-key rotation across nodes (poll 60 s, published %d s ahead): new key in the JWKS"
            + " of node A after %d ms, node B after %d ms; first token signed with it %d ms after"
            + " its activation; %d tokens exchanged on one node and used on the other, %d"
            + " refused%n",
        PUBLISH_AHEAD.toSeconds(),
        publishedOnA.toMillis(),
        publishedOnB.toMillis(),
        firstNewKey == null ? -1 : Duration.between(rotated.activatesAt(), firstNewKey).toMillis(),
        used,
        refused);

    assertThat(early).as("tokens signed with the new key before its activation").isEmpty();
    assertThat(late).as("tokens asked for after the activation, signed with the old key").isEmpty();
    assertThat(firstNewKey).as("a token signed with the new key after its activation").isNotNull();
    assertThat(refused).isZero();
    assertThat(kid(exchange(nodeA, fed))).isEqualTo(newKid);
    assertThat(kid(exchange(nodeB, fed))).isEqualTo(newKid);
    assertThat(jwksKids(nodeB)).containsExactlyInAnyOrder(oldKid, newKid);
  }

  private String exchange(LiveServer node, Federation fed) {
    LiveServer.Reply reply = node.exchangeJson(fed.exchangeParams(fed.subjectToken(clock)));
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body().get("access_token").asText();
  }

  private void awaitExchange(LiveServer node, Federation fed) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (node.exchangeJson(fed.exchangeParams(fed.subjectToken(clock))).status() != 200) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("node B never accepted the federation");
      }
      Thread.sleep(20);
    }
  }

  private static Duration untilJwksLists(LiveServer node, String kid, long sinceNanos)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!jwksKids(node).contains(kid)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the JWKS of " + node.url() + " never listed " + kid);
      }
      Thread.sleep(5);
    }
    return Duration.ofNanos(System.nanoTime() - sinceNanos);
  }

  private static List<String> jwksKids(LiveServer node) {
    return node.jwksKids();
  }

  private static String kid(String jwt) {
    return LiveServer.kidOf(jwt);
  }
}
