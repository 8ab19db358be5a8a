package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.http.RouteTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /openapi.json} over real HTTP: served without a credential, as JSON, byte for byte
 * {@code docs/openapi.json}; and the description and the server's routing name the same operations:
 * a route added under {@code /v1/organization} or {@code /oauth} without documenting it (or a
 * documented operation the server lost) fails here.
 */
class OpenApiEndpointIT {
  @TempDir static Path dir;
  static WifServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    server =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(dir.resolve("wif.db").toString())
                .withBootstrapAdminKey("sk-admin-openapi-0123456789abcdef"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void openApiJsonWhenFetchedWithoutCredentialThenTheDocsFileAsJson() throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/openapi.json"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body())
        .isEqualTo(
            Files.readAllBytes(OpenApiContractTest.repositoryRoot().resolve("docs/openapi.json")));
  }

  @Test
  void registeredRoutesWhenComparedWithTheDescriptionThenTheSameOperations() {
    Set<String> registered = new TreeSet<>();
    for (RouteTable.Route route : server.routes()) {
      if (route.path().startsWith("/v1/organization/")
          || route.path().startsWith("/oauth/")
          || route.path().equals("/openapi.json")) {
        registered.add(route.method().text() + " " + route.path());
      }
    }

    assertThat(new TreeSet<>(OpenApiContract.get().operations()))
        .as("operations in docs/openapi.json versus routes the server registered")
        .isEqualTo(registered);
    assertThat(registered).hasSizeGreaterThan(29);
  }
}
