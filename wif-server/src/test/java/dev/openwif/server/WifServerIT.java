package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.ReasonCode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WifServerIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  ServerConfig config() {
    return ServerConfig.defaults().withPort(0).withDbSpec(dir.resolve("wif.db").toString());
  }

  HttpResponse<String> get(WifServer server, String path, String key) throws Exception {
    return OpenApiContract.checked(
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void startWhenDatabaseEmptyThenRandomAdminKeyOnceAndItSurvivesRestart() throws Exception {
    String key;
    String projectId;
    try (WifServer first = WifServer.start(config())) {
      key = first.generatedAdminKey().orElseThrow();
      projectId =
          JSON.readTree(
                  OpenApiContract.checked(
                          http.send(
                              HttpRequest.newBuilder(
                                      URI.create(first.baseUrl() + "/v1/organization/projects"))
                                  .header("Authorization", "Bearer " + key)
                                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"kept\"}"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString()))
                      .body())
              .get("id")
              .asText();
    }

    try (WifServer second = WifServer.start(config())) {
      assertThat(second.generatedAdminKey()).isEmpty();
      HttpResponse<String> project = get(second, "/v1/organization/projects/" + projectId, key);
      assertThat(project.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(project.body()).get("name").asText()).isEqualTo("kept");
    }
  }

  @Test
  void startWhenBootstrapKeyConfiguredThenItIsTheAdminKeyAndNothingIsGenerated() throws Exception {
    try (WifServer server =
        WifServer.start(config().withBootstrapAdminKey("automation-key-0123456789"))) {
      assertThat(server.generatedAdminKey()).isEmpty();
      assertThat(get(server, "/v1/organization/projects", "automation-key-0123456789").statusCode())
          .isEqualTo(200);
      assertThat(get(server, "/v1/organization/projects", "automation-key-012345678X").statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void startWhenPublicUrlSetThenBaseUrlIsIt() {
    try (WifServer server = WifServer.start(config().withPublicUrl("https://wif.example.com/"))) {
      assertThat(server.baseUrl()).isEqualTo("https://wif.example.com");
      assertThat(server.port()).isPositive();
    }
  }

  @Test
  void startWhenPortBusyThenIllegalStateNamingThePort() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> WifServer.start(config().withPort(busy.getLocalPort())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + busy.getLocalPort());
    }
  }

  @Test
  void auditLogWhenExchangeAttemptRecordedThenPayloadCarriesReasonAndOnlyHashPrefix()
      throws Exception {
    String hash = "a".repeat(64);
    try (WifServer server =
        WifServer.start(config().withBootstrapAdminKey("automation-key-0123456789"))) {
      server
          .store()
          .auditSink()
          .record(
              new AuditEvent.ExchangeAttempt(
                  "audit_x1",
                  Instant.now(),
                  Optional.of(ReasonCode.AUDIENCE_MISMATCH),
                  "aud was [x], provider expects y",
                  Optional.of("wip_1"),
                  Optional.empty(),
                  Optional.of("svc_acct_1"),
                  Optional.of("1234567890"),
                  Optional.of(hash),
                  Optional.empty(),
                  Optional.of("127.0.0.1")));

      HttpResponse<String> reply =
          get(
              server,
              "/v1/organization/audit_logs?type=token_exchange.failed&effective_at%5Bgte%5D=0",
              "automation-key-0123456789");
      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
      JsonNode event = JSON.readTree(reply.body()).get("data").get(0);

      assertThat(event.get("type").asText()).isEqualTo("token_exchange.failed");
      JsonNode payload = event.get("token_exchange.failed");
      assertThat(payload.get("outcome").asText()).isEqualTo("failed");
      assertThat(payload.get("reason_code").asText()).isEqualTo("audience_mismatch");
      assertThat(payload.get("detail").asText()).isEqualTo("aud was [x], provider expects y");
      assertThat(payload.get("identity_provider_id").asText()).isEqualTo("wip_1");
      assertThat(payload.get("service_account_id").asText()).isEqualTo("svc_acct_1");
      assertThat(payload.get("external_subject").asText()).isEqualTo("1234567890");
      assertThat(payload.get("subject_token_hash_prefix").asText()).isEqualTo("a".repeat(16));
      assertThat(reply.body()).doesNotContain(hash);
    }
  }

  HttpResponse<String> createProvider(WifServer server, String issuer) throws Exception {
    String body = "{\"name\":\"local\",\"issuer\":\"" + issuer + "\",\"audience\":\"wif\"}";
    return OpenApiContract.checked(
        http.send(
            HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/v1/organization/workload_identity_providers"))
                .header("Authorization", "Bearer automation-key-0123456789")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void createProviderWhenDevModeThenHttpLoopbackIssuerAccepted() throws Exception {
    try (WifServer server =
        WifServer.start(
            config().withDev(true).withBootstrapAdminKey("automation-key-0123456789"))) {
      assertThat(createProvider(server, "http://127.0.0.1:8082").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void createProviderWhenNotDevModeThenHttpLoopbackIssuerRefused() throws Exception {
    try (WifServer server =
        WifServer.start(config().withBootstrapAdminKey("automation-key-0123456789"))) {
      HttpResponse<String> reply = createProvider(server, "http://127.0.0.1:8082");

      assertThat(reply.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(reply.body()).at("/error/param").asText()).isEqualTo("issuer");
    }
  }

  @Test
  void auditLogWhenUntilBeforeEventsThenEmpty() throws Exception {
    try (WifServer server =
        WifServer.start(config().withBootstrapAdminKey("automation-key-0123456789"))) {
      createProvider(server, "https://issuer.example.com");

      JsonNode before =
          JSON.readTree(
              get(server, "/v1/organization/audit_logs?until=1000", "automation-key-0123456789")
                  .body());
      JsonNode after =
          JSON.readTree(
              get(server, "/v1/organization/audit_logs?since=1000", "automation-key-0123456789")
                  .body());

      assertThat(before.get("data")).isEmpty();
      assertThat(before.get("has_more").asBoolean()).isFalse();
      // the bootstrap admin key's creation is audited too (actor "server")
      assertThat(after.get("data"))
          .extracting(e -> e.get("type").asText())
          .containsExactlyInAnyOrder("workload_identity_provider.created", "admin_key.created");
    }
  }

  @Test
  void unknownAdminPathWhenRequestedThenJson404() throws Exception {
    try (WifServer server =
        WifServer.start(config().withBootstrapAdminKey("automation-key-0123456789"))) {
      HttpResponse<String> reply =
          get(server, "/v1/organization/nothing_here", "automation-key-0123456789");

      assertThat(reply.statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(reply.body()).at("/error/type").asText())
          .isEqualTo("invalid_request_error");
    }
  }
}
