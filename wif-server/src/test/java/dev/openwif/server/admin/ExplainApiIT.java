package dev.openwif.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/organization/workload_identity_providers/{id}/explain} over real HTTP, against a
 * server on port 0 with a SQLite file, subject tokens signed by a {@link TestIssuer}: the failed
 * check carries the reason the real exchange audits, explaining mints and uses up nothing, and the
 * audit keeps only the token's hash.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainApiIT {
  private final Clock clock = Clock.systemUTC();
  private LiveServer server;
  private TestIssuer issuer;
  private Federation federation;

  @BeforeAll
  void start(@TempDir Path dir) {
    issuer = TestIssuer.start();
    server = LiveServer.start(dir);
    federation = Federation.uploaded(server, issuer, Federation.allScopes());
    server.updateProvider(federation.providerId(), Map.of("replay_protection", true));
  }

  @AfterAll
  void stop() {
    server.close();
    issuer.close();
  }

  private LiveServer.Reply explain(String token) {
    return server.admin(
        "POST",
        "/workload_identity_providers/" + federation.providerId() + "/explain",
        Map.of("subject_token", token, "service_account_id", federation.accountId()));
  }

  private static JsonNode check(JsonNode explanation, String name) {
    for (JsonNode c : explanation.get("checks")) {
      if (c.get("check").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no " + name + " check in " + explanation);
  }

  @Test
  void explainWhenAudienceWrongThenAudienceFailsWithTheReasonTheExchangeAudits() {
    Map<String, Object> claims = federation.claims(clock);
    claims.put("aud", "https://someone-else.example");
    String token = issuer.token(claims);

    LiveServer.Reply reply = explain(token);
    LiveServer.Reply exchanged = server.exchangeJson(federation.exchangeParams(token));

    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    JsonNode body = reply.body();
    assertThat(body.get("object").asText())
        .isEqualTo("organization.workload_identity_provider.explanation");
    assertThat(body.get("would_succeed").asBoolean()).isFalse();
    assertThat(body.get("failed_check").asText()).isEqualTo("audience");
    assertThat(body.get("reason_code").asText()).isEqualTo("audience_mismatch");
    JsonNode audience = check(body, "audience");
    assertThat(audience.get("outcome").asText()).isEqualTo("failed");
    assertThat(audience.get("detail").asText())
        .contains("https://someone-else.example")
        .contains(Federation.AUDIENCE);
    assertThat(check(body, "signature").get("outcome").asText()).isEqualTo("passed");
    assertThat(check(body, "times").get("outcome").asText()).isEqualTo("not_run");
    assertThat(exchanged.status()).isEqualTo(401);
    JsonNode audited = server.lastExchangeEvent();
    assertThat(audited.get("reason_code").asText()).isEqualTo("audience_mismatch");
    assertThat(audited.get("detail").asText()).isEqualTo(audience.get("detail").asText());
  }

  @Test
  void explainWhenTokenGoodThenNothingIsMintedAndTheTokenIsExchangedOnceAfterwards() {
    String token = federation.subjectToken(clock);

    JsonNode first = explain(token).body();
    JsonNode second = explain(token).body();
    LiveServer.Reply exchanged = server.exchangeJson(federation.exchangeParams(token));
    LiveServer.Reply replayed = server.exchangeJson(federation.exchangeParams(token));

    assertThat(first.get("would_succeed").asBoolean()).as(first.toString()).isTrue();
    assertThat(first.get("rule_id").asText()).isEqualTo(federation.ruleId());
    assertThat(first.has("access_token")).as("nothing minted").isFalse();
    assertThat(second.get("would_succeed").asBoolean()).isTrue();
    assertThat(check(first, "replay").get("outcome").asText()).isEqualTo("not_run");
    assertThat(exchanged.status()).as(exchanged.raw().body()).isEqualTo(200);
    assertThat(replayed.status()).isEqualTo(401);
    assertThat(server.lastExchangeEvent().get("reason_code").asText()).isEqualTo("replayed");
  }

  @Test
  void explainWhenCalledThenAuditedWithTheTokensHashPrefixNeverTheToken() {
    String token = federation.subjectToken(clock);

    explain(token);

    JsonNode log =
        server.adminOk(
            "GET", "/audit_logs?limit=100&event_types=" + ExplainService.EXPLAINED, null);
    assertThat(log.get("data")).isNotEmpty();
    String text = log.toString();
    assertThat(text).contains(AdminKeys.sha256Hex(token).substring(0, 16));
    assertThat(text).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.')));
    JsonNode all = server.adminOk("GET", "/audit_logs?limit=100", null);
    assertThat(all.toString()).doesNotContain(token.substring(token.lastIndexOf('.')));
  }

  @Test
  void explainWhenNoAdminKeyThen401AndWhenBodyLacksTheTokenThen400() throws Exception {
    LiveServer.Reply anonymous =
        server.send(
            HttpRequest.newBuilder(
                    URI.create(
                        server.url()
                            + "/v1/organization/workload_identity_providers/"
                            + federation.providerId()
                            + "/explain"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    LiveServer.Reply missing =
        server.admin(
            "POST",
            "/workload_identity_providers/" + federation.providerId() + "/explain",
            Map.of("service_account_id", federation.accountId()));

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.raw().body()).contains("subject_token");
  }
}
