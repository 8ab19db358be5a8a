package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cluster-nodes 3} over real HTTP: a node of three enforces a third of a service account's
 * limit, so three nodes behind a balancer allow about the limit, not three times it.
 */
class GatewayClusterNodesIT {
  @TempDir static Path dir;
  static GatewayUsageIT.UsageUpstream upstream;
  static LiveServer server;
  static TestIssuer issuer;

  @BeforeAll
  static void start() {
    upstream = new GatewayUsageIT.UsageUpstream();
    issuer = TestIssuer.start();
    server =
        LiveServer.start(
            LiveServer.config(dir)
                .withClusterNodes(3)
                .withUpstream(GatewayUpstream.proxyingTo(UpstreamTarget.parse(upstream.url()))));
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
    upstream.close();
  }

  @Test
  void callWhenThreeNodesAndAccountLimitedToSixAMinuteThenThisNodeAdmitsTwo() {
    Federation f = Federation.uploaded(server, issuer, Federation.allScopes());
    server.adminOk(
        "POST",
        "/projects/" + f.projectId() + "/service_accounts/" + f.accountId(),
        Map.of("rate_limits", Map.of("max_requests_per_1_minute", 6)));
    LiveServer.Reply exchanged =
        server.exchangeJson(f.exchangeParams(f.subjectToken(Clock.systemUTC())));
    assertThat(exchanged.status()).isEqualTo(200);
    String token = exchanged.body().get("access_token").asText();
    int before = upstream.calls.get();

    for (int i = 0; i < 2; i++) {
      LiveServer.Reply ok =
          server.post(
              "/v1/chat/completions",
              "application/json",
              GatewayUsageIT.UsageUpstream.CHAT,
              Optional.of(token));
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("x-ratelimit-limit-requests")).contains("2");
    }
    LiveServer.Reply refused =
        server.post(
            "/v1/chat/completions",
            "application/json",
            GatewayUsageIT.UsageUpstream.CHAT,
            Optional.of(token));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(upstream.calls.get() - before).isEqualTo(2);
  }
}
