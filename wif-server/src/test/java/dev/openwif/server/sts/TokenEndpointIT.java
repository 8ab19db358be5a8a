package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /oauth/token} over real HTTP against a running server, keys uploaded as a JWKS. */
class TokenEndpointIT {
  @TempDir static Path dir;
  static LiveServer server;
  static TestIssuer issuer;
  static Federation federation;
  final Clock clock = Clock.systemUTC();

  @BeforeAll
  static void start() {
    server = LiveServer.start(dir);
    issuer = TestIssuer.start();
    federation = Federation.uploaded(server, issuer, Federation.allScopes());
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
  }

  @Test
  void exchangeWhenJsonBodyValidThenTokenResponseAsTheSdksNeed() {
    LiveServer.Reply reply =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock)));

    assertThat(reply.status()).isEqualTo(200);
    JsonNode body = reply.body();
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("issued_token_type").asText())
        .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(body.get("expires_in").isIntegralNumber()).isTrue();
    assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
    assertThat(body.get("access_token").asText()).matches("[\\x21-\\x7e]+");
    assertThat(reply.header("Cache-Control")).contains("no-store");
    assertThat(reply.header("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode event = server.lastExchangeEvent();
    assertThat(event.get("outcome").asText()).isEqualTo("succeeded");
    assertThat(event.get("federation_rule_id").asText()).isEqualTo(federation.ruleId());
  }

  @Test
  void exchangeWhenFormBodyValidThenTokenIssued() {
    LiveServer.Reply reply =
        server.exchangeForm(federation.exchangeParams(federation.subjectToken(clock)));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("access_token").asText()).isNotEmpty();
  }

  @Test
  void exchangeWhenTokenUsedThenV1AcceptsIt() {
    String accessToken =
        server
            .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
            .body()
            .get("access_token")
            .asText();

    LiveServer.Reply models = server.get("/v1/models", Optional.of(accessToken));

    assertThat(models.status()).isEqualTo(200);
    assertThat(models.body().get("data").get(0).get("id").asText()).isEqualTo("openwif-demo-1");
  }

  @Test
  void exchangeWhenRuleDoesNotMatchThen401InvalidGrantTopLevelAndPreciseAudit() {
    Map<String, Object> claims = new LinkedHashMap<>(federation.claims(clock));
    claims.put("sub", "intruder");

    LiveServer.Reply reply = server.exchangeJson(federation.exchangeParams(issuer.token(claims)));

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(reply.body().get("error_description").asText()).doesNotContain("intruder");
    assertThat(server.lastExchangeEvent().get("reason_code").asText())
        .isEqualTo("no_matching_rule");
    assertThat(server.lastExchangeEvent().get("detail").asText())
        .isEqualTo("rule " + federation.ruleId() + ": sub was 'intruder', expected 'workload-1'");
  }
}
