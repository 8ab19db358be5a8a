package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditEvent;
import dev.openwif.exchange.AccessTokenProfile;
import dev.openwif.exchange.InMemoryFederationDirectory;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.Verification;
import dev.openwif.oidc.UploadedJwksKeySource;
import dev.openwif.store.Stores;
import dev.openwif.token.SigningKeys;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server fault inside the token endpoint is answered 500 with the top-level OAuth error shape the
 * SDKs parse (docs/wire-protocol.md), without any detail of the fault.
 */
class TokenEndpointFaultIT {
  @TempDir Path dir;

  @Test
  void tokenEndpointWhenServerFaultsThen500TopLevelServerErrorWithoutDetail() throws Exception {
    List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    Clock clock = Clock.systemUTC();
    Supplier<AccessTokenProfile> broken =
        () -> {
          throw new IllegalStateException("signing key store unreadable: secret-detail");
        };
    try (FederationStore store = Stores.open(dir.resolve("wif.db").toString())) {
      InMemoryFederationDirectory directory =
          new InMemoryFederationDirectory(
              store.providers(),
              store.rules(),
              store.serviceAccounts(),
              store.projects(),
              p ->
                  new UploadedJwksKeySource(
                      ((Verification.UploadedJwks) p.verification()).jwksJson()));
      directory.federationChanged();
      StsRoutes routes =
          new StsRoutes(
              new ObjectMapper(),
              directory,
              new SigningKeys(store.signingKeys(), clock),
              audit::add,
              new RandomIdGenerator(),
              clock,
              broken);
      HttpRouting.Builder routing = HttpRouting.builder();
      routes.register(routing);
      WebServer web =
          WebServer.builder().host("127.0.0.1").port(0).routing(routing).build().start();
      try {
        HttpResponse<String> reply = LiveServer.postPlaceholderExchange(web.port());

        assertThat(reply.statusCode()).isEqualTo(500);
        assertThat(reply.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(reply.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = LiveServer.JSON.readTree(reply.body());
        assertThat(body.path("error").asText()).isEqualTo("server_error");
        assertThat(body.path("error_description").asText())
            .isEqualTo("The server could not complete the token exchange.");
        assertThat(reply.body())
            .doesNotContain("secret-detail")
            .doesNotContain("IllegalStateException");
      } finally {
        web.stop();
        directory.close();
      }
    }
  }
}
