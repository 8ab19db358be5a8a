package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.RateLimits;
import dev.openwif.server.http.Cidr;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets of failed verifications over real HTTP (issue 11 items 5 and 6), on a server whose clock
 * the test moves and which trusts 127.0.0.1 as a proxy, so each request names its client in {@code
 * X-Forwarded-For}.
 *
 * <ul>
 *   <li>Token exchange: a flood of forged and garbage subject tokens naming provider P, from many
 *       addresses, does not spend P's budget of good exchanges: valid exchanges for P from another
 *       address all succeed afterwards; the flooding addresses are slowed (429) once P's budget of
 *       failures is spent; valid exchanges still hit P's own limit. The same for a flood of validly
 *       signed tokens that match no rule (anyone can get those from a public issuer): they spend
 *       P's budget of failures, not its budget of good exchanges.
 *   <li>Gateway: a client address that failed its budget of bearer verifications on {@code /v1} is
 *       answered 429 in OpenAI's shape with {@code Retry-After} before anything is verified; a
 *       token already verified still works from that address, other addresses are not affected, and
 *       the budget refills.
 * </ul>
 */
class FailedVerificationLimitsIT {
  @TempDir static Path dir;
  static final MutableClock clock = MutableClock.startingNow();
  static Arena arena;

  /** Good exchanges per provider: burst 5, 1/s. Failures per provider: burst 3, 1/s. */
  static final int PROVIDER_BURST = 5;

  static final int PROVIDER_FAILURE_BURST = 3;

  /** Failed bearer verifications per address: burst 3, 1/s. */
  static final int BEARER_FAILURE_BURST = 3;

  @BeforeAll
  static void start() {
    arena =
        Arena.start(
                dir,
                clock,
                config ->
                    config
                        .withRateLimits(
                            new RateLimits(1000, 1000, 1, PROVIDER_BURST, 10)
                                .withFailureLimits(
                                    1, PROVIDER_FAILURE_BURST, 1, BEARER_FAILURE_BURST))
                        .withTrustedProxies(new TrustedProxies(List.of(Cidr.parse("127.0.0.1")))))
            .uploaded();
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  @Test
  void exchangeWhenForgedAndGarbageTokensFloodProviderThenValidExchangesAreNotRateLimited() {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    clock.advance(Duration.ofSeconds(30)); // every bucket full
    int flood = 60;
    for (int i = 0; i < flood; i++) {
      String forged =
          i % 2 == 0
              ? Forge.flipBit(
                  fed.subjectToken(clock), 2, 5) // a valid token with its signature broken
              : "garbage.not-a." + i;
      LiveServer.Reply reply = exchangeVia("203.0.113." + (1 + i % 20), forged, fed);
      assertThat(reply.status()).as(reply.raw().body()).isIn(401, 429);
      assertThat(reply.body().has("access_token")).isFalse();
    }

    for (int i = 0; i < PROVIDER_BURST; i++) {
      LiveServer.Reply valid = exchangeVia("198.51.100.50", fed.subjectToken(clock), fed);
      assertThat(valid.status())
          .as("valid exchange %d after %d forged ones: %s", i, flood, valid.raw().body())
          .isEqualTo(200);
      arena.remember(valid.body().path("access_token").asText());
    }
    LiveServer.Reply beyond = exchangeVia("198.51.100.51", fed.subjectToken(clock), fed);
    assertThat(beyond.status())
        .as("valid exchanges still meet the provider's own limit: %s", beyond.raw().body())
        .isEqualTo(429);
    assertThat(beyond.body().path("error").asText()).isEqualTo("slow_down");
    clock.advance(Duration.ofSeconds(30));
  }

  @Test
  void exchangeWhenValidlySignedTokensMatchingNoRuleFloodProviderThenValidExchangesAreNot429() {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    clock.advance(Duration.ofSeconds(30)); // every bucket full
    int flood = 60;
    for (int i = 0; i < flood; i++) {
      // what anyone can get from a public issuer: a genuine signature, a subject no rule names
      Map<String, Object> stranger = fed.claims(clock);
      stranger.put("sub", "stranger-" + i);
      LiveServer.Reply reply =
          exchangeVia("203.0.113." + (1 + i % 20), fed.issuer().token(stranger), fed);
      assertThat(reply.status()).as(reply.raw().body()).isIn(401, 429);
      assertThat(reply.body().has("access_token")).isFalse();
    }

    for (int i = 0; i < PROVIDER_BURST; i++) {
      LiveServer.Reply valid = exchangeVia("198.51.100.80", fed.subjectToken(clock), fed);
      assertThat(valid.status())
          .as("valid exchange %d after %d signed strangers: %s", i, flood, valid.raw().body())
          .isEqualTo(200);
    }
    LiveServer.Reply beyond = exchangeVia("198.51.100.81", fed.subjectToken(clock), fed);
    assertThat(beyond.status())
        .as("valid exchanges still meet the provider's own limit: %s", beyond.raw().body())
        .isEqualTo(429);
    clock.advance(Duration.ofSeconds(30));
  }

  @Test
  void exchangeWhenProviderFailureBudgetSpentThenTheFailingAddressIsSlowedBeforeVerification() {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    clock.advance(Duration.ofSeconds(30));
    int refusedEarly = 0;
    for (int i = 0; i < 20; i++) {
      LiveServer.Reply reply = exchangeVia("203.0.113.99", "garbage.token." + i, fed);
      if (reply.status() == 429) {
        refusedEarly++;
        assertThat(reply.body().path("error").asText()).isEqualTo("slow_down");
        assertThat(reply.header("Retry-After")).isPresent();
        assertThat(arena.server.lastExchangeEvent().get("reason_code").asText())
            .isEqualTo("rate_limited");
      } else {
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(401);
      }
    }
    assertThat(refusedEarly)
        .as("after the provider's 3 failures and the address's 5, the rest are refused early")
        .isEqualTo(20 - PROVIDER_FAILURE_BURST - 5);
    assertThat(exchangeVia("198.51.100.60", fed.subjectToken(clock), fed).status())
        .as("another address with a valid token")
        .isEqualTo(200);
    clock.advance(Duration.ofSeconds(30));
  }

  @Test
  void gatewayWhenAddressSpentItsFailedBearerVerificationsThen429BeforeVerifying() {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    clock.advance(Duration.ofSeconds(30));
    String valid =
        exchangeVia("198.51.100.70", fed.subjectToken(clock), fed)
            .body()
            .path("access_token")
            .asText();
    arena.remember(valid);
    String attacker = "203.0.113.200";
    assertThat(modelsVia(attacker, valid).status()).as("a valid token").isEqualTo(200);
    String forged = Forge.flipBit(valid, 2, 3);
    for (int i = 0; i < BEARER_FAILURE_BURST; i++) {
      LiveServer.Reply refused = modelsVia(attacker, i % 2 == 0 ? forged : "garbage-" + i);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate").orElse("")).contains("invalid_token");
    }

    LiveServer.Reply limited = modelsVia(attacker, forged);

    assertThat(limited.status()).as(limited.raw().body()).isEqualTo(429);
    assertThat(limited.header("retry-after")).contains("1");
    assertThat(limited.header("retry-after-ms")).isPresent();
    assertThat(limited.body().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(limited.body().path("error").path("type").asText()).isEqualTo("requests");
    assertThat(limited.raw().body()).doesNotContain(valid);
    assertThat(modelsVia(attacker, valid).status())
        .as("a token already verified is honoured from the throttled address")
        .isEqualTo(200);
    assertThat(modelsVia("203.0.113.201", forged).status())
        .as("another address has its own budget")
        .isEqualTo(401);
    assertThat(modelsVia("198.51.100.71", valid).status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(1));
    assertThat(modelsVia(attacker, forged).status()).as("the budget refills").isEqualTo(401);
    assertThat(modelsVia(attacker, forged).status()).isEqualTo(429);
    clock.advance(Duration.ofSeconds(30));
  }

  private static LiveServer.Reply modelsVia(String client, String bearer) {
    return arena.server.send(
        HttpRequest.newBuilder(URI.create(arena.server.url() + "/v1/models"))
            .timeout(Duration.ofSeconds(10))
            .header("X-Forwarded-For", client)
            .header("Authorization", "Bearer " + bearer)
            .GET()
            .build());
  }

  private static LiveServer.Reply exchangeVia(String client, String subjectToken, Federation fed) {
    arena.remember(subjectToken);
    try {
      String body = LiveServer.JSON.writeValueAsString(fed.exchangeParams(subjectToken));
      LiveServer.Reply reply =
          arena.server.send(
              HttpRequest.newBuilder(URI.create(arena.server.url() + "/oauth/token"))
                  .timeout(Duration.ofSeconds(10))
                  .header("X-Forwarded-For", client)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      Optional.ofNullable(reply.body().path("access_token").textValue()).ifPresent(arena::remember);
      return reply;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
