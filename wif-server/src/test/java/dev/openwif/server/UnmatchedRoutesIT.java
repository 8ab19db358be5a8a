package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests no route serves, and an admin key sent to {@code /v1}, over real HTTP. */
class UnmatchedRoutesIT {
  static final String ADMIN_KEY = "sk-admin-unmatched-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();
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

  HttpResponse<String> send(String method, String path, String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return OpenApiContract.checked(
        http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  static JsonNode error(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").isNull()).isTrue();
    return error;
  }

  @Test
  void requestWhenNoRouteHasThePathThen404JsonInOpenAiShape() throws Exception {
    for (String path : new String[] {"/v1/chat/completionz", "/nothing/here", "/"}) {
      HttpResponse<String> response = send("GET", path, null);

      assertThat(response.statusCode()).as(path).isEqualTo(404);
      JsonNode error = error(response);
      assertThat(error.get("message").asText()).isEqualTo("Invalid URL (GET " + path + ").");
      assertThat(error.get("code").asText()).isEqualTo("unknown_url");
    }
  }

  @Test
  void requestWhenKnownPathWithWrongMethodThen405WithAllowHeader() throws Exception {
    HttpResponse<String> deleteResponses = send("DELETE", "/v1/responses", null);
    HttpResponse<String> postHealth = send("POST", "/healthz", null);

    assertThat(deleteResponses.statusCode()).isEqualTo(405);
    assertThat(deleteResponses.headers().firstValue("Allow")).hasValue("POST");
    assertThat(error(deleteResponses).get("code").asText()).isEqualTo("method_not_allowed");
    assertThat(postHealth.statusCode()).isEqualTo(405);
    assertThat(postHealth.headers().firstValue("Allow")).hasValue("GET");
    assertThat(error(postHealth).get("message").asText())
        .isEqualTo("Method POST is not allowed on /healthz (allowed: GET).");
  }

  @Test
  void requestWhenRegisteredRouteAskedWithItsMethodThenServedByItsRouteNotTheFallback()
      throws Exception {
    assertThat(server.routes()).extracting(RouteTable.Route::path).contains("/healthz");
    for (RouteTable.Route route : server.routes()) {
      if (route.path().startsWith("/v1/organization")) {
        continue; // the admin API's own fallback; AdminRoutesIT checks those
      }
      String path = concrete(route.path());
      HttpResponse<String> response = send(route.method().text(), path, null);

      assertThat(response.statusCode()).as(route.method().text() + " " + path).isNotIn(404, 405);
    }
  }

  @Test
  void requestWhenRegisteredPathWithAnotherMethodThen405AllowingExactlyItsMethods()
      throws Exception {
    Map<String, Set<String>> served = new TreeMap<>();
    for (RouteTable.Route route : server.routes()) {
      if (!route.path().startsWith("/v1/organization")) {
        served.computeIfAbsent(route.path(), p -> new TreeSet<>()).add(route.method().text());
      }
    }
    for (Map.Entry<String, Set<String>> entry : served.entrySet()) {
      String path = concrete(entry.getKey());
      for (String method : METHODS) {
        if (entry.getValue().contains(method)) {
          continue;
        }
        HttpResponse<String> response = send(method, path, null);

        assertThat(response.statusCode()).as(method + " " + path).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow"))
            .as(method + " " + path)
            .hasValue(String.join(", ", entry.getValue()));
        assertThat(error(response).get("code").asText()).isEqualTo("method_not_allowed");
      }
    }
  }

  /** The methods tried against every registered path. */
  static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /** A registered path pattern with each {@code {name}} replaced by an id. */
  static String concrete(String pattern) {
    return pattern.replaceAll("\\{[^}]+}", "openwif-demo-1");
  }

  @Test
  void v1WhenAdminKeySentAsBearerThen401SayingAdminKeysAreNotApiCredentials() throws Exception {
    HttpResponse<String> response = send("GET", "/v1/models", ADMIN_KEY);
    HttpResponse<String> generated = send("GET", "/v1/models", "wifadm_" + "x".repeat(43));
    HttpResponse<String> other = send("GET", "/v1/models", "not-a-token");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(error(response).get("message").asText())
        .startsWith("Admin keys are not API credentials")
        .contains("/oauth/token");
    assertThat(response.body()).doesNotContain(ADMIN_KEY);
    assertThat(generated.statusCode()).isEqualTo(401);
    assertThat(error(generated).get("message").asText())
        .startsWith("Admin keys are not API credentials");
    assertThat(other.statusCode()).isEqualTo(401);
    assertThat(error(other).get("message").asText())
        .isEqualTo("The access token is missing, invalid, expired or revoked.");
  }
}
