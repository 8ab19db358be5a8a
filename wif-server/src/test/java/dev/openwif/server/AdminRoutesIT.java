package dev.openwif.server;

import static dev.openwif.server.UnmatchedRoutesIT.METHODS;
import static dev.openwif.server.UnmatchedRoutesIT.concrete;
import static dev.openwif.server.UnmatchedRoutesIT.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.server.http.RouteTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 404/405 answers under {@code /v1/organization}, over real HTTP, against the routes the admin
 * API registered: each answers its own method, every other method gets 405 with exactly the methods
 * served there, an unknown path 404 {@code unknown_url}; without an admin key, 401 first.
 */
class AdminRoutesIT {
  static final String ADMIN_KEY = "sk-admin-adminroutes-0123456789abcdef";
  static final String PREFIX = "/v1/organization";
  @TempDir static Path dir;
  static WifServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(dir.resolve("wif.db").toString())
                .withBootstrapAdminKey(ADMIN_KEY));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  HttpResponse<String> send(String method, String path, @Nullable String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return OpenApiContract.checked(
        http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  static List<RouteTable.Route> adminRoutes() {
    return server.routes().stream().filter(r -> r.path().startsWith(PREFIX + "/")).toList();
  }

  /** Each admin path and the methods registered for it, from the routes the server registered. */
  static Map<String, Set<String>> servedByPath() {
    Map<String, Set<String>> served = new TreeMap<>();
    for (RouteTable.Route route : adminRoutes()) {
      served.computeIfAbsent(route.path(), p -> new TreeSet<>()).add(route.method().text());
    }
    return served;
  }

  @Test
  void routesWhenServerStartedThenEveryAdminEndpointIsInTheTable() {
    assertThat(adminRoutes()).hasSize(28);
    assertThat(servedByPath())
        .containsEntry(PREFIX + "/projects", Set.of("GET", "POST"))
        .containsEntry(PREFIX + "/projects/{project_id}/archive", Set.of("POST"))
        .containsEntry(
            PREFIX + "/projects/{project_id}/service_accounts/{id}",
            Set.of("DELETE", "GET", "POST"))
        .containsEntry(
            PREFIX + "/workload_identity_providers/{provider_id}/federation_rules/{id}",
            Set.of("DELETE", "GET", "POST"))
        .containsEntry(PREFIX + "/workload_identity_providers/{id}/explain", Set.of("POST"))
        .containsEntry(PREFIX + "/resource_servers", Set.of("GET", "POST"))
        .containsEntry(PREFIX + "/resource_servers/{id}", Set.of("DELETE", "GET"))
        .containsEntry(PREFIX + "/audit_logs", Set.of("GET"))
        .containsEntry(PREFIX + "/usage/completions", Set.of("GET"))
        .containsEntry(PREFIX + "/status", Set.of("GET"));
  }

  @Test
  void adminRouteWhenAskedWithItsMethodThenServedByItsRouteNotTheFallback() throws Exception {
    for (RouteTable.Route route : adminRoutes()) {
      String method = route.method().text();
      String path = concrete(route.path());
      HttpResponse<String> response = send(method, path, ADMIN_KEY);

      String where = method + " " + path + ": " + response.body();
      assertThat(response.statusCode()).as(where).isNotEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).as(where).isEmpty();
      if (response.statusCode() == 404) { // the route's own "no such object", code null
        assertThat(code(response)).as(where).isNotEqualTo("unknown_url");
      }
    }
  }

  @Test
  void adminPathWhenAskedWithAnotherMethodThen405AllowingExactlyItsMethods() throws Exception {
    for (Map.Entry<String, Set<String>> entry : servedByPath().entrySet()) {
      String path = concrete(entry.getKey());
      for (String method : METHODS) {
        if (entry.getValue().contains(method)) {
          continue;
        }
        HttpResponse<String> response = send(method, path, ADMIN_KEY);

        String allow = String.join(", ", entry.getValue());
        assertThat(response.statusCode()).as(method + " " + path).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).as(method + " " + path).hasValue(allow);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("method_not_allowed");
        assertThat(error.get("message").asText())
            .isEqualTo(
                "Method " + method + " is not allowed on " + path + " (allowed: " + allow + ").");
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "PUT, /projects, 'GET, POST'",
    "DELETE, /projects, 'GET, POST'",
    "PATCH, /workload_identity_providers, 'GET, POST'",
    "DELETE, /audit_logs, 'GET'",
    "POST, /usage/completions, 'GET'",
    "GET, /projects/proj_1/archive, 'POST'",
    "PUT, /projects/proj_1/service_accounts/svc_1, 'DELETE, GET, POST'",
    "PATCH, /workload_identity_providers/wip_1/federation_rules/rule_1, 'DELETE, GET, POST'"
  })
  void knownAdminPathWhenWrongMethodThen405WithAllow(String method, String path, String allow)
      throws Exception {
    HttpResponse<String> response = send(method, PREFIX + path, ADMIN_KEY);

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue(allow);
    assertThat(error(response).get("code").asText()).isEqualTo("method_not_allowed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "/nope",
        "/projects/",
        "/projects/proj_1/archive/more",
        "/workload_identity_providers/wip_1/federation_rules/rule_1/enable",
        "/audit_logs/x"
      })
  void unknownAdminPathWhenAuthenticatedThen404UnknownUrl(String path) throws Exception {
    for (String method : List.of("GET", "PUT")) {
      HttpResponse<String> response = send(method, PREFIX + path, ADMIN_KEY);

      assertThat(response.statusCode()).as(method + " " + path).isEqualTo(404);
      assertThat(response.headers().firstValue("Allow")).isEmpty();
      JsonNode error = error(response);
      assertThat(error.get("code").asText()).isEqualTo("unknown_url");
      assertThat(error.get("message").asText())
          .isEqualTo("Invalid URL (" + method + " " + PREFIX + path + ").");
    }
  }

  @Test
  void adminPathWhenNoValidAdminKeyThen401BeforeAny404Or405() throws Exception {
    // known path with a wrong method, with a wrong key, unknown paths: all 401, revealing no route
    List<HttpResponse<String>> responses =
        List.of(
            send("PUT", PREFIX + "/projects", null),
            send("DELETE", PREFIX + "/audit_logs", "sk-admin-wrong-0123456789abcdef"),
            send("GET", PREFIX + "/nope", null),
            send("GET", PREFIX, null));

    for (HttpResponse<String> response : responses) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
      assertThat(response.headers().firstValue("Allow")).isEmpty();
      assertThat(code(response)).isEqualTo("invalid_api_key");
    }
  }

  private static String code(HttpResponse<String> response) throws Exception {
    return UnmatchedRoutesIT.JSON.readTree(response.body()).get("error").path("code").asText();
  }
}
