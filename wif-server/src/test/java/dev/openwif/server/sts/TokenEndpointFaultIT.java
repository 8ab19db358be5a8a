package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.ReasonCode;
import dev.openwif.directory.FederationDirectory;
import dev.openwif.directory.FederationSnapshot;
import dev.openwif.exchange.EarlyRefusals;
import dev.openwif.exchange.TokenExchange;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.policy.RuleMatcher;
import dev.openwif.store.Stores;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.AccessTokenProfile;
import dev.openwif.token.SigningKeys;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server fault at the token endpoint is answered 500 with the top-level OAuth error shape the
 * SDKs parse (docs/wire-protocol.md), without any detail of the fault, and audited exactly once as
 * a server fault ({@code internal_error}), whether it happens inside the exchange or around it.
 */
class TokenEndpointFaultIT {
  private static final FederationDirectory BROKEN =
      () -> {
        throw new IllegalStateException("configuration unreadable: secret-detail");
      };
  private static final FederationDirectory EMPTY = FederationSnapshot::empty;

  @TempDir Path dir;
  private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();

  @Test
  void tokenEndpointWhenExchangeFaultsThen500ServerErrorAuditedOnceAsInternalError()
      throws Exception {
    HttpResponse<String> reply = postWith(BROKEN, EMPTY);

    assertServerErrorWithoutDetail(reply);
    assertAuditedOnceAsServerFault();
  }

  @Test
  void tokenEndpointWhenFaultAroundTheExchangeThen500ServerErrorAuditedAsInternalError()
      throws Exception {
    HttpResponse<String> reply = postWith(EMPTY, BROKEN);

    assertServerErrorWithoutDetail(reply);
    assertAuditedOnceAsServerFault();
  }

  /**
   * Posts a placeholder exchange to a token endpoint whose exchange reads {@code exchangeSees} and
   * whose rate limiter reads {@code endpointSees}.
   */
  private HttpResponse<String> postWith(
      FederationDirectory exchangeSees, FederationDirectory endpointSees) throws Exception {
    Clock clock = Clock.systemUTC();
    RandomIdGenerator ids = new RandomIdGenerator();
    try (FederationStore store = Stores.open(dir.resolve("wif.db").toString())) {
      SigningKeys signingKeys = new SigningKeys(store.signingKeys(), clock);
      AccessTokenProfile profile =
          new AccessTokenProfile("http://127.0.0.1", "http://127.0.0.1/v1", Duration.ofHours(1));
      StsRoutes routes =
          new StsRoutes(
              new TokenEndpoint(
                  new TokenExchange(
                      exchangeSees,
                      new SubjectTokenVerifier(clock),
                      new RuleMatcher(),
                      new AccessTokenMinter(signingKeys, clock),
                      audit::add,
                      ids,
                      clock,
                      profile),
                  new EarlyRefusals(audit::add, ids, clock),
                  ExchangeRateLimiter.withDefaults(clock),
                  AdmissionControl.forThisMachine(),
                  endpointSees,
                  new ObjectMapper()),
              new DiscoveryEndpoints(
                  new ObjectMapper(), profile.issuer(), signingKeys::publicJwksJson));
      HttpRouting.Builder routing = HttpRouting.builder();
      routes.register(routing);
      WebServer web =
          WebServer.builder().host("127.0.0.1").port(0).routing(routing).build().start();
      try {
        return LiveServer.postPlaceholderExchange(web.port());
      } finally {
        web.stop();
      }
    }
  }

  private static void assertServerErrorWithoutDetail(HttpResponse<String> reply) throws Exception {
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
  }

  private void assertAuditedOnceAsServerFault() {
    assertThat(audit)
        .singleElement()
        .isInstanceOfSatisfying(
            AuditEvent.ExchangeAttempt.class,
            e -> {
              assertThat(e.reason()).contains(ReasonCode.INTERNAL_ERROR);
              assertThat(e.detail()).isEqualTo("server fault: IllegalStateException");
            });
  }
}
