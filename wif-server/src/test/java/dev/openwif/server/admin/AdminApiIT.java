package dev.openwif.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import dev.openwif.testkit.TestCrypto;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API over real HTTP against a server on port 0 with a temporary SQLite file. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiIT {
  static final String ADMIN_KEY = "wifadm_test_0123456789abcdefghijklmnop";
  static final AtomicInteger SEQ = new AtomicInteger();

  Path dir;
  WifServer server;
  AdminClient admin;
  String projectId;
  String accountId;

  @BeforeAll
  void start(@TempDir Path tempDir) {
    dir = tempDir;
    server =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(dir.resolve("wif.db").toString())
                .withBootstrapAdminKey(ADMIN_KEY));
    admin = new AdminClient(server.baseUrl(), Optional.of(ADMIN_KEY));
    projectId = admin.post("/projects", Map.of("name", "platform")).body().get("id").asText();
    accountId =
        admin
            .post("/projects/" + projectId + "/service_accounts", Map.of("name", "runner"))
            .body()
            .get("id")
            .asText();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + SEQ.incrementAndGet();
  }

  static Map<String, Object> provider(String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("description", "GCE workers");
    body.put("issuer", "https://accounts.google.com");
    body.put("audience", "https://wif.example.com");
    body.put(
        "attribute_transformations",
        List.of(
            Map.of(
                "attribute",
                "project",
                "expression",
                "assertion.google.compute_engine.project_id")));
    body.put("verification", Map.of("type", "discovery"));
    return body;
  }

  Map<String, Object> rule(String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("attribute_matchers", Map.of("openai.project", "my-project"));
    body.put("project_id", projectId);
    body.put("service_account_id", accountId);
    body.put("permissions", Map.of("type", "restricted", "scopes", List.of("api.model.request")));
    return body;
  }

  String createProvider() {
    AdminClient.Reply reply = admin.post("/workload_identity_providers", provider(unique("wip")));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    return reply.body().get("id").asText();
  }

  // ---- authentication ----

  @Test
  void anyEndpointWhenNoAdminKeyThen401InOpenAiShape() {
    AdminClient.Reply reply =
        new AdminClient(server.baseUrl(), Optional.empty()).get("/workload_identity_providers");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(reply.body().path("error").path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(reply.raw().headers().firstValue("content-type")).hasValue("application/json");
  }

  @Test
  void anyEndpointWhenWrongAdminKeyThen401() {
    AdminClient.Reply reply =
        new AdminClient(server.baseUrl(), Optional.of(ADMIN_KEY + "x")).get("/projects");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.errorMessage()).doesNotContain(ADMIN_KEY);
  }

  @Test
  void healthzWhenStartedThen200() throws Exception {
    var response =
        admin
            .http()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/healthz")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void statusWhenAskedThenSaysWhichCryptoIsInForceAsTheSwitchChose() {
    boolean expected = TestCrypto.nativeWanted() && TestCrypto.nativeAvailableOnThisPlatform();

    AdminClient.Reply reply = admin.get("/status");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode crypto = reply.body().get("crypto");
    assertThat(crypto.get("native").asBoolean()).as(crypto.toString()).isEqualTo(expected);
    if (expected) {
      assertThat(crypto.get("provider").asText())
          .isEqualTo("Amazon Corretto Crypto Provider 2.5.0");
      assertThat(crypto.get("reason").isNull()).isTrue();
    } else {
      assertThat(crypto.get("provider").asText()).isEqualTo("JDK providers");
      assertThat(crypto.get("reason").asText()).startsWith("native crypto ");
    }
  }

  // ---- projects and service accounts ----

  @Test
  void projectLifecycleWhenCreatedRenamedArchivedThenShapesMatchContract() {
    JsonNode created = admin.post("/projects", Map.of("name", "p1")).body();
    String id = created.get("id").asText();

    assertThat(id).startsWith("proj_");
    assertThat(created.get("object").asText()).isEqualTo("organization.project");
    assertThat(created.get("status").asText()).isEqualTo("active");
    assertThat(created.get("archived_at").isNull()).isTrue();
    assertThat(created.get("created_at").isIntegralNumber()).isTrue();
    assertThat(
            admin.post("/projects/" + id, Map.of("name", "p1-renamed")).body().get("name").asText())
        .isEqualTo("p1-renamed");
    JsonNode archived = admin.post("/projects/" + id + "/archive", Map.of()).body();
    assertThat(archived.get("status").asText()).isEqualTo("archived");
    assertThat(archived.get("archived_at").isIntegralNumber()).isTrue();
    assertThat(admin.get("/projects/" + id).body().get("name").asText()).isEqualTo("p1-renamed");
    assertThat(admin.post("/projects/" + id + "/service_accounts", Map.of("name", "x")).status())
        .isEqualTo(400);
  }

  @Test
  void serviceAccountWhenCreatedThenMemberWithoutApiKey() {
    AdminClient.Reply reply =
        admin.post(
            "/projects/" + projectId + "/service_accounts",
            Map.of("name", "svc", "create_service_account_only", true));
    JsonNode sa = reply.body();
    String base = "/projects/" + projectId + "/service_accounts/";

    assertThat(reply.status()).isEqualTo(200);
    assertThat(sa.get("id").asText()).startsWith("svc_acct_");
    assertThat(sa.get("object").asText()).isEqualTo("organization.project.service_account");
    assertThat(sa.get("role").asText()).isEqualTo("member");
    assertThat(sa.get("api_key").isNull()).isTrue();
    assertThat(admin.get(base + sa.get("id").asText()).body().get("name").asText())
        .isEqualTo("svc");
    assertThat(
            admin
                .post(base + sa.get("id").asText(), Map.of("name", "svc2"))
                .body()
                .get("name")
                .asText())
        .isEqualTo("svc2");
    JsonNode deleted = admin.delete(base + sa.get("id").asText()).body();
    assertThat(deleted.get("object").asText())
        .isEqualTo("organization.project.service_account.deleted");
    assertThat(deleted.get("deleted").asBoolean()).isTrue();
    assertThat(admin.get(base + sa.get("id").asText()).status()).isEqualTo(404);
  }

  @Test
  void serviceAccountWhenRetrievedThroughOtherProjectThen404() {
    String other = admin.post("/projects", Map.of("name", "other")).body().get("id").asText();

    assertThat(admin.get("/projects/" + other + "/service_accounts/" + accountId).status())
        .isEqualTo(404);
  }

  // ---- providers ----

  @Test
  void createProviderWhenValidThenContractShape() {
    AdminClient.Reply reply = admin.post("/workload_identity_providers", provider(unique("gce")));
    JsonNode p = reply.body();

    assertThat(reply.status()).isEqualTo(200);
    assertThat(p.get("id").asText()).startsWith("wip_");
    assertThat(p.get("object").asText()).isEqualTo("organization.workload_identity_provider");
    assertThat(p.get("type").asText()).isEqualTo("oidc");
    assertThat(p.get("enabled").asBoolean()).isTrue();
    assertThat(p.get("replay_protection").asBoolean()).isFalse();
    assertThat(p.get("verification").get("type").asText()).isEqualTo("discovery");
    assertThat(p.get("verification").get("discovery_url").isNull()).isTrue();
    assertThat(p.get("attribute_transformations").get(0).get("attribute").asText())
        .isEqualTo("project");
    assertThat(p.get("created_at").asLong()).isEqualTo(p.get("updated_at").asLong()).isPositive();
    assertThat(admin.get("/workload_identity_providers/" + p.get("id").asText()).body())
        .isEqualTo(p);
  }

  @Test
  void createProviderWhenUploadedPublicJwksThenStoredAndReturned() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    Map<String, Object> body = provider(unique("jwks"));
    body.put(
        "verification",
        Map.of(
            "type",
            "uploaded_jwks",
            "jwks",
            Map.of("keys", List.of(key.toPublicJWK().toJSONObject()))));

    AdminClient.Reply reply = admin.post("/workload_identity_providers", body);

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(reply.body().at("/verification/jwks/keys/0/kid").asText()).isEqualTo("k1");
  }

  static Stream<Arguments> invalidProviders() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    List<Map<String, String>> tooMany = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      tooMany.add(Map.of("attribute", "a" + i, "expression", "assertion.sub"));
    }
    return Stream.of(
        invalid("http issuer", Map.of("issuer", "http://accounts.google.com"), "issuer"),
        invalid(
            "issuer with query", Map.of("issuer", "https://accounts.google.com/?q=1"), "issuer"),
        invalid(
            "issuer with fragment", Map.of("issuer", "https://accounts.google.com/#f"), "issuer"),
        invalid("empty audience", Map.of("audience", ""), "audience"),
        invalid("missing issuer", Map.of("issuer", "<remove>"), "issuer"),
        invalid("issuer not a string", Map.of("issuer", 42), "issuer"),
        invalid("enabled not a boolean", Map.of("enabled", "yes"), "enabled"),
        invalid("unknown field", Map.of("colour", "blue"), "colour"),
        invalid("type not oidc", Map.of("type", "saml"), "type"),
        invalid(
            "21 transformations",
            Map.of("attribute_transformations", tooMany),
            "attribute_transformations"),
        invalid(
            "bad attribute name",
            Map.of(
                "attribute_transformations",
                List.of(Map.of("attribute", "Bad-Name", "expression", "assertion.sub"))),
            "attribute_transformations[0].attribute"),
        invalid(
            "duplicate attribute",
            Map.of(
                "attribute_transformations",
                List.of(
                    Map.of("attribute", "a", "expression", "assertion.sub"),
                    Map.of("attribute", "a", "expression", "assertion.iss"))),
            "attribute_transformations[1].attribute"),
        invalid(
            "CEL does not compile",
            Map.of(
                "attribute_transformations",
                List.of(Map.of("attribute", "a", "expression", "assertion.sub +"))),
            "attribute_transformations[0].expression"),
        invalid(
            "expression over 4096",
            Map.of(
                "attribute_transformations",
                List.of(Map.of("attribute", "a", "expression", "'" + "x".repeat(4100) + "'"))),
            "attribute_transformations[0].expression"),
        invalid(
            "unknown transformation member",
            Map.of(
                "attribute_transformations",
                List.of(Map.of("attribute", "a", "expression", "assertion.sub", "x", 1))),
            "attribute_transformations[0].x"),
        invalid(
            "private JWKS",
            Map.of(
                "verification",
                Map.of(
                    "type", "uploaded_jwks", "jwks", Map.of("keys", List.of(key.toJSONObject())))),
            "verification.jwks"),
        invalid(
            "JWKS without keys",
            Map.of(
                "verification", Map.of("type", "uploaded_jwks", "jwks", Map.of("keys", List.of()))),
            "verification.jwks"),
        invalid(
            "JWKS not an object",
            Map.of("verification", Map.of("type", "uploaded_jwks", "jwks", "keys")),
            "verification.jwks"),
        invalid(
            "unknown verification type",
            Map.of("verification", Map.of("type", "magic")),
            "verification.type"),
        invalid(
            "discovery URL with query",
            Map.of(
                "verification",
                Map.of("type", "discovery", "discovery_url", "https://a.example.com/?x")),
            "verification.discovery_url"),
        invalid(
            "loopback issuer outside dev", Map.of("issuer", "https://127.0.0.1:8443"), "issuer"));
  }

  static Arguments invalid(String name, Map<String, Object> change, String param) {
    return Arguments.of(Named.of(name, change), param);
  }

  @ParameterizedTest
  @MethodSource("invalidProviders")
  void createProviderWhenRuleBrokenThen400NamingParam(Map<String, Object> change, String param) {
    Map<String, Object> body = new HashMap<>(provider(unique("bad")));
    change.forEach(
        (k, v) -> {
          if ("<remove>".equals(v)) {
            body.remove(k);
          } else {
            body.put(k, v);
          }
        });

    AdminClient.Reply reply = admin.post("/workload_identity_providers", body);

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(reply.errorParam()).isEqualTo(param);
  }

  @Test
  void createProviderWhenCelDoesNotCompileThenMessageCarriesPosition() {
    Map<String, Object> body = provider(unique("cel"));
    body.put(
        "attribute_transformations",
        List.of(Map.of("attribute", "a", "expression", "assertion.sub.nope(")));

    assertThat(admin.post("/workload_identity_providers", body).errorMessage())
        .contains("ERROR: <input>:1:");
  }

  @Test
  void createProviderWhenMalformedJsonThen400() {
    AdminClient.Reply reply = admin.post("/workload_identity_providers", "{\"name\": ");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorMessage()).contains("could not parse the JSON body");
  }

  @Test
  void createProviderWhenDuplicateMemberThen400() {
    assertThat(
            admin.post("/workload_identity_providers", "{\"name\":\"a\",\"name\":\"b\"}").status())
        .isEqualTo(400);
  }

  @Test
  void createProviderWhenNameTakenThen409WithoutRetry() {
    String name = unique("dup");
    admin.post("/workload_identity_providers", provider(name));

    AdminClient.Reply reply = admin.post("/workload_identity_providers", provider(name));

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.errorParam()).isEqualTo("name");
    assertThat(reply.raw().headers().firstValue("x-should-retry")).hasValue("false");
  }

  @Test
  void createProviderWhenBodyOver64KiBThen413() {
    String big = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";

    AdminClient.Reply reply = admin.post("/workload_identity_providers", big);

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void createProviderWhenChunkedBodyOver64KiBThen413() {
    byte[] big = ("{\"name\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(admin.base() + "/workload_identity_providers"))
            .header("Authorization", "Bearer " + ADMIN_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

    assertThat(admin.send(request).status()).isEqualTo(413);
  }

  @Test
  void updateProviderWhenOnlyDescriptionSuppliedThenOnlyItChanges() {
    String id = createProvider();
    JsonNode before = admin.get("/workload_identity_providers/" + id).body();

    JsonNode after =
        admin.post("/workload_identity_providers/" + id, Map.of("description", "new")).body();

    assertThat(after.get("description").asText()).isEqualTo("new");
    for (String field :
        List.of(
            "name",
            "issuer",
            "audience",
            "enabled",
            "attribute_transformations",
            "verification",
            "created_at")) {
      assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
    }
  }

  @Test
  void updateProviderWhenDescriptionNullThenCleared() {
    String id = createProvider();

    JsonNode after =
        admin.post("/workload_identity_providers/" + id, "{\"description\": null}").body();

    assertThat(after.get("description").isNull()).isTrue();
    assertThat(admin.get("/workload_identity_providers/" + id).body().get("description").isNull())
        .isTrue();
  }

  @Test
  void updateProviderWhenNameNullThen400() {
    String id = createProvider();

    AdminClient.Reply reply = admin.post("/workload_identity_providers/" + id, "{\"name\": null}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorParam()).isEqualTo("name");
  }

  @Test
  void updateProviderWhenResultInvalidThen400AndUnchanged() {
    String id = createProvider();

    AdminClient.Reply reply =
        admin.post("/workload_identity_providers/" + id, Map.of("issuer", "http://x.example.com"));

    assertThat(reply.errorParam()).isEqualTo("issuer");
    assertThat(admin.get("/workload_identity_providers/" + id).body().get("issuer").asText())
        .isEqualTo("https://accounts.google.com");
  }

  @Test
  void providerWhenUnknownIdThen404() {
    assertThat(admin.get("/workload_identity_providers/wip_nope").status()).isEqualTo(404);
    assertThat(
            admin.post("/workload_identity_providers/wip_nope", Map.of("enabled", false)).status())
        .isEqualTo(404);
    assertThat(admin.delete("/workload_identity_providers/wip_nope").status()).isEqualTo(404);
  }

  @Test
  void listProvidersWhenPagedThenHasMoreIsExactInBothOrders() {
    // a fresh server so the list holds exactly the providers made here
    try (WifServer own =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(dir.resolve("paging.db").toString())
                .withBootstrapAdminKey(ADMIN_KEY))) {
      AdminClient c = new AdminClient(own.baseUrl(), Optional.of(ADMIN_KEY));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(
            c.post("/workload_identity_providers", provider("p" + i)).body().get("id").asText());
      }

      JsonNode first = c.get("/workload_identity_providers?limit=2").body();
      JsonNode second =
          c.get("/workload_identity_providers?limit=2&after=" + first.get("last_id").asText())
              .body();
      JsonNode third =
          c.get("/workload_identity_providers?limit=2&after=" + second.get("last_id").asText())
              .body();
      JsonNode all = c.get("/workload_identity_providers?limit=5").body();
      JsonNode desc = c.get("/workload_identity_providers?limit=2&order=desc").body();

      assertThat(first.get("object").asText()).isEqualTo("list");
      assertThat(ids(first)).containsExactly(ids.get(0), ids.get(1));
      assertThat(first.get("first_id").asText()).isEqualTo(ids.get(0));
      assertThat(first.get("has_more").asBoolean()).isTrue();
      assertThat(ids(second)).containsExactly(ids.get(2), ids.get(3));
      assertThat(ids(third)).containsExactly(ids.get(4));
      assertThat(third.get("has_more").asBoolean()).isFalse();
      assertThat(all.get("has_more").asBoolean()).isFalse();
      assertThat(ids(desc)).containsExactly(ids.get(4), ids.get(3));
      assertThat(desc.get("has_more").asBoolean()).isTrue();
      assertThat(c.get("/workload_identity_providers?limit=0").errorParam()).isEqualTo("limit");
      assertThat(c.get("/workload_identity_providers?limit=101").errorParam()).isEqualTo("limit");
      assertThat(c.get("/workload_identity_providers?order=up").errorParam()).isEqualTo("order");
      assertThat(c.get("/workload_identity_providers?after=wip_unknown").errorParam())
          .isEqualTo("after");
      assertThat(c.get("/audit_logs?after=audit_unknown").errorParam()).isEqualTo("after");
    }
  }

  static List<String> ids(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.get("data").forEach(n -> out.add(n.get("id").asText()));
    return out;
  }

  // ---- federation rules ----

  @Test
  void createRuleWhenValidThenContractShape() {
    String wip = createProvider();

    AdminClient.Reply reply =
        admin.post("/workload_identity_providers/" + wip + "/federation_rules", rule("r"));
    JsonNode r = reply.body();

    assertThat(reply.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("id").asText()).startsWith("wifr_");
    assertThat(r.get("object").asText())
        .isEqualTo("organization.workload_identity_federation_rule");
    assertThat(r.get("workload_identity_provider_id").asText()).isEqualTo(wip);
    assertThat(r.get("enabled").asBoolean()).isTrue();
    assertThat(r.get("attribute_matchers").get("openai.project").asText()).isEqualTo("my-project");
    assertThat(r.at("/permissions/scopes/0").asText()).isEqualTo("api.model.request");
    assertThat(r.get("clamp_to_subject_token_expiry").asBoolean()).isFalse();
    assertThat(r.get("description").isNull()).isTrue();
  }

  Stream<Arguments> invalidRules() {
    String otherProject =
        admin.post("/projects", Map.of("name", "elsewhere")).body().get("id").asText();
    String otherAccount =
        admin
            .post("/projects/" + otherProject + "/service_accounts", Map.of("name", "x"))
            .body()
            .get("id")
            .asText();
    Map<String, Object> nullValue = new HashMap<>();
    nullValue.put("sub", null);
    return Stream.of(
        invalid("no matcher", Map.of("attribute_matchers", Map.of()), "attribute_matchers"),
        invalid("matchers missing", Map.of("attribute_matchers", "<remove>"), "attribute_matchers"),
        invalid(
            "null matcher value",
            Map.of("attribute_matchers", nullValue),
            "attribute_matchers.sub"),
        invalid(
            "array matcher value",
            Map.of("attribute_matchers", Map.of("sub", List.of("a"))),
            "attribute_matchers.sub"),
        invalid(
            "object matcher value",
            Map.of("attribute_matchers", Map.of("sub", Map.of())),
            "attribute_matchers.sub"),
        invalid(
            "empty matcher key",
            Map.of("attribute_matchers", Map.of("", "a")),
            "attribute_matchers"),
        invalid(
            "unknown scope",
            Map.of("permissions", Map.of("type", "restricted", "scopes", List.of("api.all"))),
            "permissions.scopes"),
        invalid(
            "restricted without scopes",
            Map.of("permissions", Map.of("type", "restricted", "scopes", List.of())),
            "permissions.scopes"),
        invalid(
            "unknown permissions type",
            Map.of("permissions", Map.of("type", "admin")),
            "permissions.type"),
        invalid("unknown project", Map.of("project_id", "proj_nope"), "project_id"),
        invalid(
            "unknown service account",
            Map.of("service_account_id", "svc_acct_nope"),
            "service_account_id"),
        invalid(
            "account of another project",
            Map.of("service_account_id", otherAccount),
            "service_account_id"),
        invalid("unknown field", Map.of("priority", 1), "priority"),
        invalid("enabled not boolean", Map.of("enabled", 1), "enabled"));
  }

  @ParameterizedTest
  @MethodSource("invalidRules")
  void createRuleWhenRuleBrokenThen400NamingParam(Map<String, Object> change, String param) {
    String wip = createProvider();
    Map<String, Object> body = new HashMap<>(rule(unique("r")));
    change.forEach(
        (k, v) -> {
          if ("<remove>".equals(v)) {
            body.remove(k);
          } else {
            body.put(k, v);
          }
        });

    AdminClient.Reply reply =
        admin.post("/workload_identity_providers/" + wip + "/federation_rules", body);

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.errorParam()).isEqualTo(param);
  }

  @Test
  void createRuleWhenProjectArchivedThen400() {
    String wip = createProvider();
    String project =
        admin.post("/projects", Map.of("name", "soon-archived")).body().get("id").asText();
    String account =
        admin
            .post("/projects/" + project + "/service_accounts", Map.of("name", "a"))
            .body()
            .get("id")
            .asText();
    admin.post("/projects/" + project + "/archive", Map.of());
    Map<String, Object> body = rule("r");
    body.put("project_id", project);
    body.put("service_account_id", account);

    AdminClient.Reply reply =
        admin.post("/workload_identity_providers/" + wip + "/federation_rules", body);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorParam()).isEqualTo("project_id");
  }

  @Test
  void createRuleWhenNameTakenInProviderThen409ButFreeInAnother() {
    String wip = createProvider();
    String other = createProvider();
    admin.post("/workload_identity_providers/" + wip + "/federation_rules", rule("same"));

    AdminClient.Reply duplicate =
        admin.post("/workload_identity_providers/" + wip + "/federation_rules", rule("same"));
    AdminClient.Reply elsewhere =
        admin.post("/workload_identity_providers/" + other + "/federation_rules", rule("same"));

    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.errorParam()).isEqualTo("name");
    assertThat(elsewhere.status()).isEqualTo(200);
  }

  @Test
  void updateRuleWhenNameNullAndDisabledThenOnlyThoseChange() {
    String wip = createProvider();
    String base = "/workload_identity_providers/" + wip + "/federation_rules/";
    JsonNode before =
        admin
            .post("/workload_identity_providers/" + wip + "/federation_rules", rule("named"))
            .body();

    JsonNode after =
        admin.post(base + before.get("id").asText(), "{\"name\": null, \"enabled\": false}").body();

    assertThat(after.get("name").isNull()).isTrue();
    assertThat(after.get("enabled").asBoolean()).isFalse();
    assertThat(after.get("attribute_matchers")).isEqualTo(before.get("attribute_matchers"));
    assertThat(after.get("permissions")).isEqualTo(before.get("permissions"));
    assertThat(after.get("warnings")).as("only the saving answer carries warnings").isNotNull();
    ObjectNode saved = after.deepCopy();
    saved.remove("warnings");
    assertThat(admin.get(base + before.get("id").asText()).body()).isEqualTo(saved);
  }

  @Test
  void listRulesWhenFilteredByServiceAccountThenOnlyItsRules() {
    String wip = createProvider();
    String second =
        admin
            .post("/projects/" + projectId + "/service_accounts", Map.of("name", "second"))
            .body()
            .get("id")
            .asText();
    String path = "/workload_identity_providers/" + wip + "/federation_rules";
    admin.post(path, rule("a"));
    Map<String, Object> body = rule("b");
    body.put("service_account_id", second);
    String bId = admin.post(path, body).body().get("id").asText();

    JsonNode filtered = admin.get(path + "?service_account_id=" + second).body();
    JsonNode all = admin.get(path).body();

    assertThat(ids(filtered)).containsExactly(bId);
    assertThat(all.get("data")).hasSize(2);
    assertThat(all.get("has_more").asBoolean()).isFalse();
  }

  @Test
  void deleteProviderWhenItHasRulesThen409WithoutRetryThenSucceedsOnceEmpty() {
    String wip = createProvider();
    String ruleId =
        admin
            .post("/workload_identity_providers/" + wip + "/federation_rules", rule("r"))
            .body()
            .get("id")
            .asText();

    AdminClient.Reply refused = admin.delete("/workload_identity_providers/" + wip);
    JsonNode ruleDeleted =
        admin.delete("/workload_identity_providers/" + wip + "/federation_rules/" + ruleId).body();
    JsonNode deleted = admin.delete("/workload_identity_providers/" + wip).body();

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.raw().headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(ruleDeleted.get("object").asText())
        .isEqualTo("organization.workload_identity_federation_rule.deleted");
    assertThat(deleted.get("object").asText())
        .isEqualTo("organization.workload_identity_provider.deleted");
    assertThat(deleted.get("id").asText()).isEqualTo(wip);
    assertThat(deleted.get("deleted").asBoolean()).isTrue();
    assertThat(admin.get("/workload_identity_providers/" + wip).status()).isEqualTo(404);
  }

  @Test
  void deleteServiceAccountWhenRulesUseItThen409() {
    String account =
        admin
            .post("/projects/" + projectId + "/service_accounts", Map.of("name", "used"))
            .body()
            .get("id")
            .asText();
    Map<String, Object> body = rule("uses");
    body.put("service_account_id", account);
    admin.post("/workload_identity_providers/" + createProvider() + "/federation_rules", body);

    AdminClient.Reply reply =
        admin.delete("/projects/" + projectId + "/service_accounts/" + account);

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.raw().headers().firstValue("x-should-retry")).hasValue("false");
  }

  // ---- audit log ----

  @Test
  void auditLogWhenProviderAndRuleChangedThenEventsWithPayloadNewestFirst() {
    long since = System.currentTimeMillis() / 1000 - 1;
    String wip = createProvider();
    String ruleId =
        admin
            .post("/workload_identity_providers/" + wip + "/federation_rules", rule("audited"))
            .body()
            .get("id")
            .asText();
    admin.post("/workload_identity_providers/" + wip, Map.of("enabled", false));

    JsonNode created =
        admin
            .get(
                "/audit_logs?type=workload_identity_provider_mapping.created&since="
                    + since
                    + "&limit=100")
            .body();
    JsonNode updates =
        admin
            .get(
                "/audit_logs?type=workload_identity_provider.updated,workload_identity_provider.created&since="
                    + since
                    + "&limit=100")
            .body();

    JsonNode ruleEvent = find(created, "workload_identity_provider_mapping.created", ruleId);
    assertThat(
            ruleEvent
                .at("/workload_identity_provider_mapping.created/identity_provider_id")
                .asText())
        .isEqualTo(wip);
    assertThat(
            ruleEvent
                .at("/workload_identity_provider_mapping.created/changes_requested/name")
                .asText())
        .isEqualTo("audited");
    assertThat(ruleEvent.at("/actor/api_key/id").asText()).startsWith("admin_key_");
    assertThat(ruleEvent.get("effective_at").asLong()).isGreaterThanOrEqualTo(since);
    JsonNode updated = find(updates, "workload_identity_provider.updated", wip);
    assertThat(
            updated.at("/workload_identity_provider.updated/changes_requested/enabled").asBoolean())
        .isFalse();
    List<String> types = new ArrayList<>();
    updates.get("data").forEach(e -> types.add(e.get("type").asText()));
    assertThat(types)
        .containsOnly("workload_identity_provider.updated", "workload_identity_provider.created");
    assertThat(admin.get("/audit_logs?since=abc").errorParam()).isEqualTo("since");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "since=10000000000000000",
        "until=253402300800",
        "since=-1",
        "effective_at%5Bgte%5D=99999999999999",
        "effective_at%5Blt%5D=-5"
      })
  void auditLogWhenTimeOutOfRangeThen400NamingParam(String query) {
    AdminClient.Reply reply = admin.get("/audit_logs?" + query);

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.errorParam())
        .isEqualTo(
            java.net.URLDecoder.decode(
                query.substring(0, query.indexOf('=')), java.nio.charset.StandardCharsets.UTF_8));
  }

  // ---- hostile input ----

  @Test
  void createProviderWhenTrailingContentAfterJsonThen400() {
    String body = "{\"name\":\"x\"} ]]";

    AdminClient.Reply reply = admin.post("/workload_identity_providers", body);

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.errorMessage()).contains("could not parse the JSON body");
  }

  @Test
  void createProjectWhenNameHasNulThen400NamingName() {
    AdminClient.Reply reply = admin.post("/projects", Map.of("name", "a\u0000b"));

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.errorParam()).isEqualTo("name");
  }

  @Test
  void createRuleWhenMatcherValueHasNulThen400NamingMatcher() {
    Map<String, Object> body = rule(unique("r"));
    body.put("attribute_matchers", Map.of("sub", "x\u0000"));

    AdminClient.Reply reply =
        admin.post("/workload_identity_providers/" + createProvider() + "/federation_rules", body);

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.errorParam()).isEqualTo("attribute_matchers.sub");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/projects/proj%00x",
        "/workload_identity_providers/wip%00x",
        "/projects?after=proj%00x",
        "/audit_logs?after=x%00"
      })
  void getWhenIdHasNulThen400Or404(String path) {
    AdminClient.Reply reply = admin.get(path);

    assertThat(reply.status()).as(reply.body().toString()).isIn(400, 404);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/projects?after=proj_nope", "/workload_identity_providers?after=wip_nope"})
  void listWhenAfterNamesNoObjectThen400NamingAfter(String path) {
    AdminClient.Reply reply = admin.get(path);

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.errorParam()).isEqualTo("after");
  }

  @Test
  void updateRuleWhenProjectArchivedThenDisablingStillWorksButMovingThereDoesNot() {
    String project =
        admin.post("/projects", Map.of("name", unique("archiving"))).body().get("id").asText();
    String account =
        admin
            .post("/projects/" + project + "/service_accounts", Map.of("name", "a"))
            .body()
            .get("id")
            .asText();
    String wip = createProvider();
    Map<String, Object> body = rule(unique("r"));
    body.put("project_id", project);
    body.put("service_account_id", account);
    String ruleId =
        admin
            .post("/workload_identity_providers/" + wip + "/federation_rules", body)
            .body()
            .get("id")
            .asText();
    String otherRule =
        admin
            .post("/workload_identity_providers/" + wip + "/federation_rules", rule(unique("r")))
            .body()
            .get("id")
            .asText();
    admin.post("/projects/" + project + "/archive", Map.of());
    String base = "/workload_identity_providers/" + wip + "/federation_rules/";

    AdminClient.Reply disabled = admin.post(base + ruleId, Map.of("enabled", false));
    AdminClient.Reply moved =
        admin.post(base + otherRule, Map.of("project_id", project, "service_account_id", account));

    assertThat(disabled.status()).as(disabled.body().toString()).isEqualTo(200);
    assertThat(disabled.body().get("enabled").asBoolean()).isFalse();
    assertThat(moved.status()).isEqualTo(400);
    assertThat(moved.errorParam()).isEqualTo("project_id");
  }

  static JsonNode find(JsonNode list, String type, String id) {
    for (JsonNode e : list.get("data")) {
      if (e.get("type").asText().equals(type) && e.path(type).path("id").asText().equals(id)) {
        return e;
      }
    }
    throw new AssertionError("no " + type + " event for " + id + " in " + list);
  }
}
