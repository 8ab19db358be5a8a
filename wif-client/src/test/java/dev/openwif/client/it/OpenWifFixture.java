package dev.openwif.client.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/**
 * An in-process OpenWIF server (port 0, SQLite in a temp dir, dev mode, a known bootstrap admin
 * key) and the admin calls an operator makes over HTTP: project, service account, provider,
 * federation rule.
 */
final class OpenWifFixture implements AutoCloseable {
  static final String ADMIN_KEY = "sk-admin-client-it-0123456789abcdef";
  private final WifServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private OpenWifFixture(WifServer server) {
    this.server = server;
  }

  static OpenWifFixture start(Path dir) {
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withDbSpec(dir.resolve("wif.db").toString())
            .withDev(true)
            .withBootstrapAdminKey(ADMIN_KEY);
    return new OpenWifFixture(WifServer.start(config));
  }

  String baseUrl() {
    return server.baseUrl();
  }

  String tokenUrl() {
    return server.baseUrl() + "/oauth/token";
  }

  /** The ids a workload needs. */
  record Federation(String providerId, String serviceAccountId, String projectId) {}

  /**
   * Creates a project and service account, an OIDC provider trusting {@code issuer} (discovery) for
   * {@code audience}, and a rule mapping tokens whose claims equal {@code matchers} to the account.
   */
  Federation federate(String issuer, String audience, Map<String, Object> matchers)
      throws IOException, InterruptedException {
    String projectId =
        post("/v1/organization/projects", Map.of("name", "client-it")).get("id").asText();
    String accountId =
        post(
                "/v1/organization/projects/" + projectId + "/service_accounts",
                Map.of("name", "workload", "create_service_account_only", true))
            .get("id")
            .asText();
    ObjectNode provider = json.createObjectNode();
    provider.put("name", "client-it-provider");
    provider.put("type", "oidc");
    provider.put("issuer", issuer);
    provider.put("audience", audience);
    provider.putObject("verification").put("type", "discovery");
    String providerId =
        post("/v1/organization/workload_identity_providers", provider).get("id").asText();
    ObjectNode rule = json.createObjectNode();
    rule.put("name", "client-it-rule");
    rule.set("attribute_matchers", json.valueToTree(matchers));
    rule.put("project_id", projectId);
    rule.put("service_account_id", accountId);
    rule.putObject("permissions").put("type", "service_account_default");
    post("/v1/organization/workload_identity_providers/" + providerId + "/federation_rules", rule);
    return new Federation(providerId, accountId, projectId);
  }

  private JsonNode post(String path, Object body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Authorization", "Bearer " + ADMIN_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  @Override
  public void close() {
    server.close();
  }
}
