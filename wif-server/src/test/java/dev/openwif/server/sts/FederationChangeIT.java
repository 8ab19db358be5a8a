package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.store.Stores;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exchange path and the gateway read nothing from the database (providers, rules, accounts and
 * keys are served from memory), and a change made through the admin API takes effect on the very
 * next exchange and API call.
 */
class FederationChangeIT {
  @TempDir static Path dir;
  static GuardedStore store;
  static LiveServer server;
  static TestIssuer issuer;
  final Clock clock = Clock.systemUTC();

  @BeforeAll
  static void start() {
    store = new GuardedStore(Stores.open(dir.resolve("wif.db").toString()));
    server = LiveServer.start(LiveServer.config(dir), store, Clock.systemUTC());
    issuer = TestIssuer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
    issuer.close();
  }

  @Test
  void exchangeWhenDatabaseBlockedThenExchangesAndApiCallsStillServedWithoutAnyRead() {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    List<Integer> statuses = new ArrayList<>();
    int callsBefore = store.calls();

    store.block(true);
    try {
      for (int i = 0; i < 10; i++) {
        LiveServer.Reply exchanged =
            server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock)));
        statuses.add(exchanged.status());
        statuses.add(
            server
                .get("/v1/models", Optional.of(exchanged.body().path("access_token").asText()))
                .status());
      }
    } finally {
      store.block(false);
    }

    assertThat(statuses).hasSize(20).containsOnly(200);
    assertThat(store.calls()).isEqualTo(callsBefore);
  }

  @Test
  void exchangeWhenRuleDisabledThroughAdminApiThenNextExchangeAndEarlierTokenRefused() {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    String accessToken =
        server
            .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
            .body()
            .get("access_token")
            .asText();
    assertThat(server.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(200);

    server.updateRule(federation.providerId(), federation.ruleId(), Map.of("enabled", false));

    LiveServer.Reply refused =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock)));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(server.lastExchangeEvent().get("reason_code").asText())
        .isEqualTo("no_matching_rule");
    LiveServer.Reply revoked = server.get("/v1/models", Optional.of(accessToken));
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.header("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).contains("error=\"invalid_token\""));

    server.updateRule(federation.providerId(), federation.ruleId(), Map.of("enabled", true));

    assertThat(
            server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock))).status())
        .isEqualTo(200);
    assertThat(server.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(200);
  }

  @Test
  void exchangeWhenProviderDisabledThroughAdminApiThenInvalidTargetAndTokensRevoked() {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    String accessToken =
        server
            .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
            .body()
            .get("access_token")
            .asText();

    server.updateProvider(federation.providerId(), Map.of("enabled", false));

    LiveServer.Reply refused =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock)));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("error").asText()).isEqualTo("invalid_target");
    assertThat(server.lastExchangeEvent().get("reason_code").asText())
        .isEqualTo("provider_disabled");
    assertThat(server.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(401);
  }

  @Test
  void exchangeWhenRuleMatcherChangedThroughAdminApiThenNewMatcherAppliesNextExchange() {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    assertThat(
            server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock))).status())
        .isEqualTo(200);

    server.updateRule(
        federation.providerId(),
        federation.ruleId(),
        Map.of("attribute_matchers", Map.of("sub", "someone-else")));

    assertThat(
            server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock))).status())
        .isEqualTo(401);
    assertThat(server.lastExchangeEvent().get("detail").asText())
        .isEqualTo(
            "rule " + federation.ruleId() + ": sub was 'workload-1', expected 'someone-else'");
  }

  @Test
  void apiCallWhenRuleDeletedThroughAdminApiThenTokenRevoked() {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    String accessToken =
        server
            .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
            .body()
            .get("access_token")
            .asText();

    server.adminOk(
        "DELETE",
        "/workload_identity_providers/"
            + federation.providerId()
            + "/federation_rules/"
            + federation.ruleId(),
        null);

    assertThat(server.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(401);
  }

  @Test
  void exchangeWhenProjectArchivedThroughAdminApiThenRefusedAndTokenRevoked() {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    String accessToken =
        server
            .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
            .body()
            .get("access_token")
            .asText();

    server.adminOk("POST", "/projects/" + federation.projectId() + "/archive", null);

    assertThat(server.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(401);
    assertThat(
            server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock))).status())
        .isEqualTo(401);
    assertThat(server.lastExchangeEvent().get("reason_code").asText())
        .isEqualTo("service_account_unknown");
  }
}
