package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.federation.FederationStore;
import dev.openwif.server.RateLimits;
import dev.openwif.server.adversarial.LogCapture;
import dev.openwif.store.Stores;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /oauth/introspect} on a real server: a resource server created through the admin API
 * introspects tokens exchanged at {@code /oauth/token}; revocation through the admin API, expiry
 * and forgeries answer exactly {@code {"active":false}}; credentials other than a live resource
 * server's are refused with 401 {@code invalid_client}.
 */
class IntrospectionIT {
  @TempDir static Path dir;
  static FederationStore store;
  static LiveServer server;
  static TestIssuer issuer;
  static final MutableClock clock = MutableClock.startingNow();

  @BeforeAll
  static void start() {
    store = Stores.open(dir.resolve("wif.db").toString());
    RateLimits d = RateLimits.defaults();
    RateLimits lenient =
        new RateLimits(
            d.exchangesPerAddressPerSecond(),
            d.exchangeBurstPerAddress(),
            d.exchangesPerProviderPerSecond(),
            d.exchangeBurstPerProvider(),
            1000);
    server = LiveServer.start(LiveServer.config(dir).withRateLimits(lenient), store, clock);
    issuer = TestIssuer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
    issuer.close();
  }

  record Credential(String clientId, String secret) {
    String basic() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }
  }

  static Credential createResourceServer(LiveServer on, String name) {
    JsonNode created = on.adminOk("POST", "/resource_servers", Map.of("name", name));
    return new Credential(created.get("client_id").asText(), created.get("client_secret").asText());
  }

  static LiveServer.Reply introspect(LiveServer on, Optional<String> authorization, String form) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(on.url() + "/oauth/introspect"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    authorization.ifPresent(a -> b.header("Authorization", a));
    return on.send(b.build());
  }

  static LiveServer.Reply introspect(Credential credential, String token) {
    return introspect(server, Optional.of(credential.basic()), "token=" + enc(token));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  String exchange(Federation federation) {
    LiveServer.Reply reply =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock)));
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body().get("access_token").asText();
  }

  static void assertInactive(LiveServer.Reply reply) {
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.raw().body()).isEqualTo("{\"active\":false}");
    assertThat(reply.header("Cache-Control")).contains("no-store");
  }

  @Test
  void introspectWhenLiveTokenThenActiveWithStandardAndOpenWifClaims() {
    Credential rs = createResourceServer(server, "billing-api");
    Federation federation =
        Federation.uploaded(server, issuer, Federation.scopes("api.model.read"));
    String token = exchange(federation);

    LiveServer.Reply reply = introspect(rs, token);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).contains("application/json");
    assertThat(reply.header("Cache-Control")).contains("no-store");
    JsonNode body = reply.body();
    assertThat(body.get("active").asBoolean()).isTrue();
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("scope").asText()).isEqualTo("api.model.read");
    assertThat(body.get("sub").asText()).isEqualTo(federation.accountId());
    assertThat(body.get("client_id").asText()).isEqualTo(federation.accountId());
    assertThat(body.get("iss").asText()).isEqualTo(server.url());
    assertThat(body.get("aud").asText()).isEqualTo(server.url() + "/v1");
    long now = clock.instant().getEpochSecond();
    assertThat(body.get("iat").asLong()).isBetween(now - 5, now);
    assertThat(body.get("exp").asLong()).isEqualTo(body.get("iat").asLong() + 3600);
    assertThat(body.get("jti").asText()).isNotBlank();
    assertThat(body.get("openwif_project_id").asText()).isEqualTo(federation.projectId());
    assertThat(body.get("openwif_service_account_id").asText()).isEqualTo(federation.accountId());
    assertThat(body.get("openwif_provider_id").asText()).isEqualTo(federation.providerId());
    assertThat(body.get("openwif_rule_id").asText()).isEqualTo(federation.ruleId());
    assertThat(body.get("openwif_external_subject").asText()).isEqualTo(Federation.SUBJECT);
  }

  @Test
  void introspectWhenSecretPostAndClientIdNamedAtExchangeThenActiveWithThatClientId() {
    Credential rs = createResourceServer(server, "search-api");
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    Map<String, String> params =
        new java.util.HashMap<>(federation.exchangeParams(federation.subjectToken(clock)));
    params.put("client_id", "batch-job-7");
    String token = server.exchangeForm(params).body().get("access_token").asText();

    LiveServer.Reply reply =
        introspect(
            server,
            Optional.empty(),
            "token="
                + enc(token)
                + "&token_type_hint=access_token&client_id="
                + enc(rs.clientId())
                + "&client_secret="
                + enc(rs.secret()));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("active").asBoolean()).isTrue();
    assertThat(reply.body().get("client_id").asText()).isEqualTo("batch-job-7");
    assertThat(reply.body().get("sub").asText()).isEqualTo(federation.accountId());
  }

  @Test
  void introspectWhenRuleDisabledThroughAdminApiThenInactiveWithinOneSnapshotRefresh()
      throws InterruptedException {
    Credential rs = createResourceServer(server, "reports-api");
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    String token = exchange(federation);
    assertThat(introspect(rs, token).body().get("active").asBoolean()).isTrue();

    server.updateRule(federation.providerId(), federation.ruleId(), Map.of("enabled", false));

    // the admin call rebuilds the snapshot before it answers; the 5 s re-sync is the upper bound
    Instant deadline = Instant.now().plusSeconds(10);
    LiveServer.Reply reply = introspect(rs, token);
    while (reply.raw().body().contains("\"active\":true") && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      reply = introspect(rs, token);
    }
    assertInactive(reply);

    server.updateRule(federation.providerId(), federation.ruleId(), Map.of("enabled", true));
    assertThat(introspect(rs, token).body().get("active").asBoolean()).isTrue();
  }

  @Test
  void introspectWhenExpiredForgedOrGarbageThenExactlyInactive() {
    Credential rs = createResourceServer(server, "audit-api");
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    String token = exchange(federation);
    String[] parts = token.split("\\.");
    String otherSignature = exchange(federation).split("\\.")[2];

    List<LiveServer.Reply> replies = new ArrayList<>();
    replies.add(introspect(rs, "not-a-token"));
    replies.add(introspect(rs, parts[0] + "." + parts[1] + "." + otherSignature));
    replies.add(introspect(rs, federation.subjectToken(clock))); // a token, not ours
    replies.add(introspect(rs, "x".repeat(9000)));

    clock.advance(Duration.ofHours(2));
    try {
      replies.add(introspect(rs, token));
    } finally {
      clock.advance(Duration.ofHours(-2));
    }

    assertThat(replies).hasSize(5).allSatisfy(IntrospectionIT::assertInactive);
    assertThat(introspect(rs, token).body().get("active").asBoolean()).isTrue();
  }

  @Test
  void introspectWhenCredentialsWrongMissingOrAnAdminKeyThenInvalidClient() {
    Credential rs = createResourceServer(server, "ledger-api");
    Credential other = createResourceServer(server, "other-api");
    String token = exchange(Federation.uploaded(server, issuer, Federation.allScopes()));

    List<LiveServer.Reply> refused =
        List.of(
            introspect(new Credential(rs.clientId(), other.secret()), token),
            introspect(new Credential("rs_unknown", rs.secret()), token),
            introspect(server, Optional.empty(), "token=" + enc(token)),
            introspect(server, Optional.of("Bearer " + token), "token=" + enc(token)),
            introspect(
                server,
                Optional.empty(),
                "token=" + enc(token) + "&client_id=" + enc(rs.clientId())));
    LiveServer.Reply adminKey =
        introspect(server, Optional.of("Bearer " + LiveServer.ADMIN_KEY), "token=" + enc(token));
    LiveServer.Reply adminKeyAsSecret =
        introspect(new Credential(rs.clientId(), LiveServer.ADMIN_KEY), token);

    assertThat(refused)
        .allSatisfy(
            reply -> {
              assertThat(reply.status()).isEqualTo(401);
              assertThat(reply.body().get("error").asText()).isEqualTo("invalid_client");
              assertThat(reply.header("WWW-Authenticate")).contains("Basic realm=\"openwif\"");
              assertThat(reply.raw().body()).doesNotContain("active");
            });
    for (LiveServer.Reply reply : List.of(adminKey, adminKeyAsSecret)) {
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.body().get("error").asText()).isEqualTo("invalid_client");
      assertThat(reply.body().get("error_description").asText())
          .contains("Admin keys are not resource-server credentials");
    }
    assertThat(introspect(rs, token).body().get("active").asBoolean()).isTrue();
  }

  @Test
  void introspectWhenResourceServerDeletedThenItsCredentialRefusedAtOnce() {
    Credential rs = createResourceServer(server, "temp-api");
    String token = exchange(Federation.uploaded(server, issuer, Federation.allScopes()));
    assertThat(introspect(rs, token).status()).isEqualTo(200);

    JsonNode deleted = server.adminOk("DELETE", "/resource_servers/" + rs.clientId(), null);

    assertThat(deleted.get("deleted").asBoolean()).isTrue();
    assertThat(deleted.get("object").asText()).isEqualTo("organization.resource_server.deleted");
    LiveServer.Reply reply = introspect(rs, token);
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().get("error").asText()).isEqualTo("invalid_client");
    assertThat(server.admin("GET", "/resource_servers/" + rs.clientId(), null).status())
        .isEqualTo(404);
  }

  @Test
  void introspectWhenTokenMissingOrBodyMalformedThenInvalidRequest() {
    Credential rs = createResourceServer(server, "strict-api");

    LiveServer.Reply missing = introspect(server, Optional.of(rs.basic()), "token_type_hint=x");
    LiveServer.Reply repeated = introspect(server, Optional.of(rs.basic()), "token=a&token=b");
    LiveServer.Reply json =
        server.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/oauth/introspect"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", rs.basic())
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"a\"}"))
                .build());
    LiveServer.Reply huge =
        introspect(server, Optional.of(rs.basic()), "token=" + "x".repeat(20_000));

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().get("error").asText()).isEqualTo("invalid_request");
    assertThat(missing.body().get("error_description").asText()).contains("token");
    assertThat(repeated.status()).isEqualTo(400);
    assertThat(repeated.body().get("error_description").asText()).contains("repeated");
    assertThat(json.status()).isEqualTo(400);
    assertThat(json.body().get("error_description").asText()).contains("Content-Type");
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.body().get("error").asText()).isEqualTo("invalid_request");
  }

  @Test
  void resourceServersWhenManagedThroughAdminApiThenSecretShownOnlyAtCreationAndAudited() {
    JsonNode created = server.adminOk("POST", "/resource_servers", Map.of("name", "inventory-api"));
    String id = created.get("id").asText();
    String secret = created.get("client_secret").asText();

    JsonNode retrieved = server.adminOk("GET", "/resource_servers/" + id, null);
    JsonNode list = server.adminOk("GET", "/resource_servers?limit=100", null);

    assertThat(id).startsWith("rs_");
    assertThat(created.get("object").asText()).isEqualTo("organization.resource_server");
    assertThat(created.get("client_id").asText()).isEqualTo(id);
    assertThat(secret).startsWith("wifrs_");
    assertThat(created.get("secret_prefix").asText()).isEqualTo(secret.substring(0, 12));
    assertThat(retrieved.get("name").asText()).isEqualTo("inventory-api");
    assertThat(retrieved.has("client_secret")).isFalse();
    assertThat(retrieved.toString()).doesNotContain(secret);
    assertThat(list.get("object").asText()).isEqualTo("list");
    assertThat(list.toString()).contains(id).doesNotContain(secret);
    assertThat(server.admin("POST", "/resource_servers", Map.of("name", "x", "extra", 1)).status())
        .isEqualTo(400);
    assertThat(server.admin("POST", "/resource_servers", Map.of()).status()).isEqualTo(400);
    JsonNode events =
        server.adminOk("GET", "/audit_logs?limit=100&event_types=resource_server.created", null);
    assertThat(events.toString()).contains(id).doesNotContain(secret);
  }

  @Test
  void introspectWhenRefusedOrInactiveThenReasonLoggedButNoSecretOrToken() {
    Credential rs = createResourceServer(server, "logged-api");
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    String token = exchange(federation);
    ch.qos.logback.classic.Logger sts =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.openwif.server.sts");
    ch.qos.logback.classic.Level before = sts.getLevel();
    sts.setLevel(ch.qos.logback.classic.Level.DEBUG);
    String text;
    List<String> leaks;
    try (LogCapture capture = LogCapture.start()) {
      introspect(new Credential(rs.clientId(), rs.secret() + "x"), token);
      introspect(new Credential(rs.secret(), rs.secret()), token);
      introspect(server, Optional.of("Bearer " + LiveServer.ADMIN_KEY), "token=" + enc(token));
      introspect(server, Optional.of("Bearer " + token), "token=" + enc(token));
      introspect(
          server,
          Optional.empty(),
          "token=" + enc(token) + "&client_id=" + enc(rs.clientId()) + "&client_secret=x");
      introspect(rs, token.substring(0, token.length() - 2) + "AA");
      server.updateRule(federation.providerId(), federation.ruleId(), Map.of("enabled", false));
      assertInactive(introspect(rs, token));
      text = capture.text();
      leaks = capture.leaks(List.of(rs.secret(), token, LiveServer.ADMIN_KEY));
    } finally {
      sts.setLevel(before);
    }

    assertThat(leaks).isEmpty();
    assertThat(text)
        .contains(
            "introspection refused: client_secret_basic credentials for client_id " + rs.clientId())
        .contains("(not a resource server id)")
        .contains("an admin key was presented")
        .contains("the Authorization scheme is Bearer, not Basic")
        .contains("introspection: token inactive: the signature does not verify")
        .contains("is deleted or disabled");
  }

  @Test
  void discoveryWhenFetchedThenNamesIntrospectionEndpointAndItsAuthMethods() {
    JsonNode config = server.get("/.well-known/openid-configuration", Optional.empty()).body();

    assertThat(config.get("introspection_endpoint").asText())
        .isEqualTo(server.url() + "/oauth/introspect");
    assertThat(config.get("introspection_endpoint_auth_methods_supported").toString())
        .isEqualTo("[\"client_secret_basic\",\"client_secret_post\"]");
  }

  @Test
  void introspectWhenAnAddressFailsTooOftenThenThrottledEvenWithTheRightSecret(
      @TempDir Path other) {
    try (LiveServer strict = LiveServer.start(other)) {
      Credential rs = createResourceServer(strict, "throttled-api");
      Credential wrong = new Credential(rs.clientId(), rs.secret() + "x");
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < RateLimits.DEFAULT_ADMIN_AUTH_FAILURES_PER_MINUTE; i++) {
        statuses.add(introspect(strict, Optional.of(wrong.basic()), "token=t").status());
      }

      LiveServer.Reply blocked = introspect(strict, Optional.of(rs.basic()), "token=t");

      assertThat(statuses).containsOnly(401);
      assertThat(blocked.status()).isEqualTo(429);
      assertThat(blocked.body().get("error").asText()).isEqualTo("slow_down");
      assertThat(blocked.header("Retry-After")).isPresent();
    }
  }
}
