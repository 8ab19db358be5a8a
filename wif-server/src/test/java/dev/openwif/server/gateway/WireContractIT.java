package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.openwif.federation.FederationStore;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.store.Stores;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestIssuer;
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
 * docs/wire-protocol.md, "What the SDKs depend on": each item that concerns the server, one test
 * each, against a running server whose clock the test moves.
 */
class WireContractIT {
  @TempDir static Path dir;
  static MutableClock clock = MutableClock.startingNow();
  static FederationStore store;
  static LiveServer server;
  static TestIssuer issuer;
  static Federation all;
  static Federation readOnly;

  @BeforeAll
  static void start() {
    store = Stores.open(dir.resolve("wif.db").toString());
    server = LiveServer.start(LiveServer.config(dir), store, clock);
    issuer = TestIssuer.start();
    all = Federation.uploaded(server, issuer, Federation.allScopes());
    readOnly = Federation.uploaded(server, issuer, Federation.scopes("api.model.read"));
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
    issuer.close();
  }

  private static String accessToken(Federation federation) {
    LiveServer.Reply reply =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock)));
    assertThat(reply.status()).isEqualTo(200);
    return reply.body().get("access_token").asText();
  }

  private static String responsesBody() {
    return "{\"model\":\"gpt-4.1-mini\",\"input\":\"Hello there\"}";
  }

  @Test
  void tokenEndpointWhenPostedAtRootThenServedAndNeverRedirected() {
    LiveServer.Reply root = server.exchangeForm(all.exchangeParams(all.subjectToken(clock)));
    LiveServer.Reply underV1 =
        server.post("/v1/oauth/token", "application/json", "{}", Optional.empty());
    LiveServer.Reply trailingSlash =
        server.post("/oauth/token/", "application/json", "{}", Optional.empty());

    assertThat(root.status()).isEqualTo(200);
    assertThat(underV1.status()).isEqualTo(404);
    assertThat(trailingSlash.status()).isEqualTo(404);
    assertThat(List.of(root, underV1, trailingSlash))
        .allSatisfy(r -> assertThat(r.header("Location")).isEmpty());
  }

  @Test
  void tokenEndpointWhenRefusedThenOnly400Or401WithTopLevelErrorEvenForUnknownProvider() {
    LiveServer.Reply unknown =
        server.exchangeJson(
            LiveServer.exchangeParams(
                all.subjectToken(clock), "wip_does_not_exist", all.accountId()));
    LiveServer.Reply badGrant = server.exchangeJson(Map.of("grant_type", "password"));

    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().get("error").asText()).isEqualTo("invalid_target");
    assertThat(unknown.body().get("error_description").isTextual()).isTrue();
    assertThat(unknown.body().has("message")).isFalse();
    assertThat(badGrant.status()).isEqualTo(400);
    assertThat(badGrant.body().get("error").asText()).isEqualTo("unsupported_grant_type");
  }

  @Test
  void tokenEndpointWhenIssuedThenTokenTypesAndIntegerExpiresInOfTheDefault3600() {
    LiveServer.Reply reply = server.exchangeJson(all.exchangeParams(all.subjectToken(clock)));

    assertThat(reply.body().get("token_type").asText()).isEqualTo("Bearer");
    assertThat(reply.body().get("issued_token_type").asText())
        .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(reply.body().get("expires_in").isInt()).isTrue();
    assertThat(reply.body().get("expires_in").asInt()).isEqualTo(3600);
    String token = reply.body().get("access_token").asText();
    assertThat(token).isEqualTo(token.strip()).matches("[\\x21-\\x7e]+");
  }

  @Test
  void
      apiWhenTokenMissingMalformedWronglySignedOrExpiredThen401InvalidTokenWithoutShouldRetryFalse() {
    String good = accessToken(all);
    String[] parts = good.split("\\.");
    String wronglySigned =
        parts[0]
            + "."
            + parts[1]
            + "."
            + (parts[2].startsWith("A") ? "B" : "A")
            + parts[2].substring(1);

    List<LiveServer.Reply> refused =
        List.of(
            server.get("/v1/models", Optional.empty()),
            server.get("/v1/models", Optional.of("not-a-jwt")),
            server.get("/v1/models", Optional.of(wronglySigned)),
            server.get("/v1/models", Optional.of(all.subjectToken(clock))));
    clock.advance(Duration.ofSeconds(3601));
    LiveServer.Reply expired;
    try {
      expired = server.get("/v1/models", Optional.of(good));
    } finally {
      clock.advance(Duration.ofSeconds(-3601));
    }

    assertThat(server.get("/v1/models", Optional.of(good)).status()).isEqualTo(200);
    assertThat(List.of(refused.get(0), refused.get(1), refused.get(2), refused.get(3), expired))
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(401);
              assertThat(r.header("WWW-Authenticate"))
                  .contains(
                      "Bearer realm=\"openwif\", error=\"invalid_token\", resource_metadata=\""
                          + server.url()
                          + "/.well-known/oauth-protected-resource/v1\"");
              assertThat(r.header("x-should-retry")).isEmpty();
              assertThat(r.header("Content-Type"))
                  .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
              assertThat(r.body().get("error").get("code").asText()).isEqualTo("invalid_token");
            });
  }

  @Test
  void apiWhenScopeMissingThen403InsufficientScopeNever401() {
    String token = accessToken(readOnly);

    LiveServer.Reply models = server.get("/v1/models", Optional.of(token));
    LiveServer.Reply responses =
        server.post("/v1/responses", "application/json", responsesBody(), Optional.of(token));

    assertThat(models.status()).isEqualTo(200);
    assertThat(responses.status()).isEqualTo(403);
    assertThat(responses.body().get("error").get("code").asText()).isEqualTo("insufficient_scope");
    assertThat(responses.body().get("error").get("type").asText())
        .isEqualTo("invalid_request_error");
    assertThat(responses.header("x-should-retry")).contains("false");
    assertThat(responses.header("WWW-Authenticate"))
        .contains(
            "Bearer realm=\"openwif\", error=\"insufficient_scope\", scope=\"api.model.request\"");
  }

  @Test
  void modelsWhenListedThenListWithTheFourFieldsJavaRequires() {
    LiveServer.Reply reply = server.get("/v1/models", Optional.of(accessToken(all)));

    assertThat(reply.header("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(reply.body().get("object").asText()).isEqualTo("list");
    JsonNode model = reply.body().get("data").get(0);
    assertThat(model.get("id").asText()).isEqualTo("openwif-demo-1");
    assertThat(model.get("object").asText()).isEqualTo("model");
    assertThat(model.get("created").isIntegralNumber()).isTrue();
    assertThat(model.get("owned_by").asText()).isEqualTo("openwif");
    assertThat(server.get("/v1/models/openwif-demo-1", Optional.of(accessToken(all))).body())
        .isEqualTo(model);
    assertThat(server.get("/v1/models/nope", Optional.of(accessToken(all))).status())
        .isEqualTo(404);
  }

  @Test
  void responsesWhenCreatedThenEveryFieldTheJavaSdkValidates() {
    LiveServer.Reply reply =
        server.post(
            "/v1/responses", "application/json", responsesBody(), Optional.of(accessToken(all)));

    assertThat(reply.status()).isEqualTo(200);
    JsonNode r = reply.body();
    assertThat(r.get("id").asText()).startsWith("resp_");
    assertThat(r.get("object").asText()).isEqualTo("response");
    assertThat(r.get("created_at").asLong()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(r.get("model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(r.get("status").asText()).isEqualTo("completed");
    assertThat(r.get("parallel_tool_calls").isBoolean()).isTrue();
    assertThat(r.get("tool_choice").asText()).isEqualTo("auto");
    assertThat(r.get("tools").isArray()).isTrue();
    JsonNode message = r.get("output").get(0);
    assertThat(message.get("id").asText()).startsWith("msg_");
    assertThat(message.get("type").asText()).isEqualTo("message");
    assertThat(message.get("role").asText()).isEqualTo("assistant");
    assertThat(message.get("status").asText()).isEqualTo("completed");
    JsonNode text = message.get("content").get(0);
    assertThat(text.get("type").asText()).isEqualTo("output_text");
    assertThat(text.get("text").asText())
        .isEqualTo("Hello from OpenWIF (demo model): you said \"Hello there\"");
    assertThat(text.get("annotations").isArray()).isTrue();
    JsonNode usage = r.get("usage");
    assertThat(usage.get("input_tokens").asInt()).isEqualTo(2);
    assertThat(usage.get("input_tokens_details").get("cached_tokens").asInt()).isZero();
    assertThat(usage.get("input_tokens_details").get("cache_write_tokens").asInt()).isZero();
    assertThat(usage.get("output_tokens").asInt()).isEqualTo(9);
    assertThat(usage.get("output_tokens_details").get("reasoning_tokens").asInt()).isZero();
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(11);
  }

  @Test
  void responsesWhenRequestUnsupportedThen400NamingTheParameter() {
    String token = accessToken(all);

    LiveServer.Reply streaming =
        server.post(
            "/v1/responses",
            "application/json",
            "{\"model\":\"m\",\"input\":\"x\",\"stream\":true}",
            Optional.of(token));
    LiveServer.Reply noModel =
        server.post("/v1/responses", "application/json", "{\"input\":\"x\"}", Optional.of(token));
    LiveServer.Reply noInput =
        server.post("/v1/responses", "application/json", "{\"model\":\"m\"}", Optional.of(token));

    assertThat(streaming.status()).isEqualTo(400);
    assertThat(streaming.body().get("error").get("param").asText()).isEqualTo("stream");
    assertThat(noModel.status()).isEqualTo(400);
    assertThat(noModel.body().get("error").get("param").asText()).isEqualTo("model");
    assertThat(noInput.status()).isEqualTo(400);
    assertThat(noInput.body().get("error").get("param").asText()).isEqualTo("input");
  }

  @Test
  void requestsWhenSdkHeadersSentThenTolerated() {
    HttpRequest exchange =
        HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("User-Agent", "OpenAI/Java 4.101.0")
            .header("X-Stainless-Lang", "java")
            .header("X-Stainless-Retry-Count", "0")
            .header("X-Stainless-Timeout", "600")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    write(all.exchangeParams(all.subjectToken(clock)))))
            .build();
    LiveServer.Reply exchanged = server.send(exchange);
    HttpRequest api =
        HttpRequest.newBuilder(URI.create(server.url() + "/v1/models"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + exchanged.body().get("access_token").asText())
            .header("Accept", "application/json")
            .header("User-Agent", "OpenAI/Java 4.101.0")
            .header("X-Stainless-Arch", "x64")
            .header("X-Stainless-Package-Version", "4.101.0")
            .GET()
            .build();

    assertThat(exchanged.status()).isEqualTo(200);
    assertThat(server.send(api).status()).isEqualTo(200);
  }

  @Test
  void discoveryWhenFetchedThenIssuerJwksAndTokenEndpointVerifyTheAccessToken() throws Exception {
    JsonNode config = server.get("/.well-known/openid-configuration", Optional.empty()).body();
    String token = accessToken(all);

    assertThat(config.get("issuer").asText()).isEqualTo(server.url());
    assertThat(config.get("token_endpoint").asText()).isEqualTo(server.url() + "/oauth/token");
    assertThat(config.get("grant_types_supported").get(0).asText())
        .isEqualTo("urn:ietf:params:oauth:grant-type:token-exchange");
    String jwksPath = config.get("jwks_uri").asText().substring(server.url().length());
    JWKSet jwks = JWKSet.parse(server.get(jwksPath, Optional.empty()).raw().body());
    SignedJWT jwt = SignedJWT.parse(token);
    ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(key.isPrivate()).isFalse();
    assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(server.url());
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(all.accountId());
  }

  private static String write(Object value) {
    try {
      return LiveServer.JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
