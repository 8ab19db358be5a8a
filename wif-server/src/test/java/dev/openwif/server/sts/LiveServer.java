package dev.openwif.server.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.federation.FederationStore;
import dev.openwif.server.OpenApiContract;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A real OpenWIF server for integration tests: {@link WifServer} on 127.0.0.1 port 0, a SQLite file
 * in a temp directory, {@code --dev} (http and loopback issuers allowed), a known admin key; plus a
 * small HTTP client for the admin API, the token endpoint and {@code /v1}. Every call has a
 * timeout, and every answer the OpenAPI description covers is checked against it ({@link
 * OpenApiContract}).
 */
public final class LiveServer implements AutoCloseable {
  public static final String ADMIN_KEY = "sk-admin-it-0123456789abcdef0123456789abcdef";
  public static final ObjectMapper JSON = new ObjectMapper();

  private final WifServer server;
  private final HttpClient http;

  private LiveServer(WifServer server) {
    this(server, HttpClient.newBuilder());
  }

  private LiveServer(WifServer server, HttpClient.Builder http) {
    OpenApiContract.get(); // compiled now, not in the middle of a test's timed exchanges
    this.server = server;
    this.http =
        http.connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Waits (at most 15 s) until the server re-read its federation configuration after its clock was
   * moved: a snapshot read before a jump of the test clock past {@code --max-snapshot-age} counts
   * as stale until the next re-sync (every few seconds), as it would after a real clock step.
   */
  public void awaitFreshSnapshot() {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (server.federationSnapshotAge().compareTo(Duration.ofMinutes(1)) > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the federation snapshot was not re-read within 15 s; age "
                + server.federationSnapshotAge());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  public static ServerConfig config(Path dir) {
    return ServerConfig.defaults()
        .withPort(0)
        .withDbSpec(dir.resolve("wif.db").toString())
        .withDev(true)
        .withBootstrapAdminKey(ADMIN_KEY);
  }

  /** A server that opens (and owns) the SQLite file {@code dir/wif.db}. */
  public static LiveServer start(Path dir) {
    return new LiveServer(WifServer.start(config(dir)));
  }

  /** A server with this configuration (it opens and owns the store named in it). */
  public static LiveServer start(ServerConfig config) {
    return new LiveServer(WifServer.start(config));
  }

  /** An HTTPS server with this configuration, called through a client trusting {@code tls}. */
  public static LiveServer start(ServerConfig config, javax.net.ssl.SSLContext tls) {
    return new LiveServer(WifServer.start(config), HttpClient.newBuilder().sslContext(tls));
  }

  /** A server on a store the caller opened (and closes), with the caller's clock. */
  public static LiveServer start(ServerConfig config, FederationStore store, Clock clock) {
    return new LiveServer(WifServer.start(config, store, clock));
  }

  public int port() {
    return server.port();
  }

  /** The port of the {@code --metrics-address} listener, when there is one. */
  public Optional<Integer> metricsPort() {
    return server.metricsPort();
  }

  /** The key ids this server's JWKS lists ({@code /.well-known/jwks.json}); none is private. */
  public List<String> jwksKids() {
    JsonNode keys = get("/.well-known/jwks.json", Optional.empty()).body().get("keys");
    List<String> kids = new ArrayList<>();
    keys.forEach(
        k -> {
          if (k.has("d")) {
            throw new AssertionError("the JWKS holds a private key: " + k.get("kid"));
          }
          kids.add(k.get("kid").asText());
        });
    return kids;
  }

  /** The {@code kid} in the header of a compact JWS. */
  public static String kidOf(String jwt) {
    try {
      String header =
          new String(
              java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
              StandardCharsets.UTF_8);
      return JSON.readTree(header).get("kid").asText();
    } catch (IOException e) {
      throw new IllegalStateException("not a JWS header: " + e.getMessage(), e);
    }
  }

  /** The server's public URL ({@code --public-url}, or its own address when none is set). */
  public String url() {
    return server.baseUrl();
  }

  /**
   * Where this test reaches the server: its own port on 127.0.0.1 (with the public URL's scheme),
   * so nodes sharing one {@code --public-url} are still called one by one.
   */
  public String address() {
    return (server.baseUrl().startsWith("https:") ? "https" : "http")
        + "://127.0.0.1:"
        + server.port();
  }

  public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    public Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }
  }

  // ---- admin API ----

  public Reply admin(String method, String path, Object body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(address() + "/v1/organization" + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + ADMIN_KEY)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(write(body)));
    return send(b.build());
  }

  /** An admin call that must succeed; returns its JSON. */
  public JsonNode adminOk(String method, String path, Object body) {
    Reply reply = admin(method, path, body);
    if (reply.status() / 100 != 2) {
      throw new AssertionError(
          method + " " + path + " -> " + reply.status() + " " + reply.raw().body());
    }
    return reply.body();
  }

  public String createProject(String name) {
    return adminOk("POST", "/projects", Map.of("name", name)).get("id").asText();
  }

  public String createServiceAccount(String projectId, String name) {
    return adminOk("POST", "/projects/" + projectId + "/service_accounts", Map.of("name", name))
        .get("id")
        .asText();
  }

  /**
   * Creates a provider; {@code verification} is e.g. {@code {"type":"uploaded_jwks","jwks":{...}}}.
   */
  public String createProvider(
      String name,
      String issuer,
      String audience,
      Map<String, Object> verification,
      List<Map<String, String>> transformations) {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", name);
    body.put("type", "oidc");
    body.put("issuer", issuer);
    body.put("audience", audience);
    body.set("verification", JSON.valueToTree(verification));
    body.set("attribute_transformations", JSON.valueToTree(transformations));
    return adminOk("POST", "/workload_identity_providers", body).get("id").asText();
  }

  public String createRule(
      String providerId,
      Map<String, Object> matchers,
      String projectId,
      String accountId,
      Map<String, Object> permissions) {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", "rule-" + System.nanoTime());
    body.set("attribute_matchers", JSON.valueToTree(matchers));
    body.put("project_id", projectId);
    body.put("service_account_id", accountId);
    body.set("permissions", JSON.valueToTree(permissions));
    return adminOk("POST", "/workload_identity_providers/" + providerId + "/federation_rules", body)
        .get("id")
        .asText();
  }

  public void updateRule(String providerId, String ruleId, Map<String, Object> changes) {
    adminOk(
        "POST",
        "/workload_identity_providers/" + providerId + "/federation_rules/" + ruleId,
        changes);
  }

  public void updateProvider(String providerId, Map<String, Object> changes) {
    adminOk("POST", "/workload_identity_providers/" + providerId, changes);
  }

  /** Exchange audit events, newest first (both outcomes), up to 100. */
  public List<JsonNode> exchangeEvents() {
    JsonNode list =
        adminOk(
            "GET",
            "/audit_logs?limit=100&event_types=token_exchange.succeeded,token_exchange.failed",
            null);
    List<JsonNode> events = new ArrayList<>();
    list.get("data").forEach(events::add);
    return events;
  }

  /** The payload of the newest exchange audit event. */
  public JsonNode lastExchangeEvent() {
    JsonNode event = exchangeEvents().getFirst();
    return event.get(event.get("type").asText());
  }

  // ---- token endpoint ----

  public Reply exchangeJson(Map<String, ?> params) {
    return post("/oauth/token", "application/json", write(params), Optional.empty());
  }

  public Reply exchangeForm(Map<String, String> params) {
    String form =
        params.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return post("/oauth/token", "application/x-www-form-urlencoded", form, Optional.empty());
  }

  public static Map<String, String> exchangeParams(
      String subjectToken, String providerId, String accountId) {
    return Map.of(
        "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
        "subject_token", subjectToken,
        "subject_token_type", "urn:ietf:params:oauth:token-type:jwt",
        "identity_provider_id", providerId,
        "service_account_id", accountId);
  }

  /**
   * POSTs an exchange with a placeholder subject token, as JSON, to {@code /oauth/token} of a bare
   * Helidon server on {@code port} (for tests that wire {@link StsRoutes} themselves rather than a
   * whole server).
   */
  public static HttpResponse<String> postPlaceholderExchange(int port) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth/token"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    write(exchangeParams("a.b.c", "wip_none", "svc_none"))))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  // ---- plain HTTP ----

  public Reply get(String path, Optional<String> bearer) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(address() + path)).timeout(Duration.ofSeconds(10)).GET();
    bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return send(b.build());
  }

  public Reply post(String path, String contentType, String body, Optional<String> bearer) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(address() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return send(b.build());
  }

  public Reply send(HttpRequest request) {
    try {
      // every answer under /v1/organization, /oauth and /openapi.json is held to docs/openapi.json
      HttpResponse<String> raw =
          OpenApiContract.checked(http.send(request, HttpResponse.BodyHandlers.ofString()));
      JsonNode body;
      try {
        body = raw.body().isEmpty() ? JSON.nullNode() : JSON.readTree(raw.body());
      } catch (IOException notJson) {
        body = JSON.nullNode();
      }
      return new Reply(raw.statusCode(), body, raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String write(Object body) {
    try {
      return body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
