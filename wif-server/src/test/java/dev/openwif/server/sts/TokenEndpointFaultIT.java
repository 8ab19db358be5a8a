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
import dev.openwif.server.http.RouteTable;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.store.Stores;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.AccessTokenProfile;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.SigningKeys;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    return withServer(exchangeSees, endpointSees, LiveServer::postPlaceholderExchange);
  }

  /** What a test does with the port of a running token endpoint. */
  private interface PortCall<T> {
    T call(int port) throws Exception;
  }

  private <T> T withServer(
      FederationDirectory exchangeSees, FederationDirectory endpointSees, PortCall<T> call)
      throws Exception {
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
                  TrustedProxies.none(),
                  new ObjectMapper()),
              new DiscoveryEndpoints(
                  new ObjectMapper(), profile.issuer(), signingKeys::publicJwksJson),
              new IntrospectionEndpoint(
                  (clientId, secret) -> Optional.empty(),
                  new ClientAuthThrottle(10, clock),
                  TrustedProxies.none(),
                  new AccessTokenVerifier(
                      signingKeys, clock, profile.issuer(), profile.audience(), 10),
                  endpointSees,
                  new ObjectMapper()));
      HttpRouting.Builder routing = HttpRouting.builder();
      routes.register(new RouteTable(routing));
      WebServer web =
          WebServer.builder().host("127.0.0.1").port(0).routing(routing).build().start();
      try {
        return call.call(web.port());
      } finally {
        web.stop();
      }
    }
  }

  /**
   * The answer is written after the attempt is audited; a client that resets the connection while
   * the exchange runs makes that write fail, which must not add a second (server fault) event.
   */
  @Test
  void tokenEndpointWhenClientResetsBeforeTheAnswerThenAttemptAuditedOnceNotAsServerFault()
      throws Exception {
    FederationDirectory slow =
        () -> {
          try {
            Thread.sleep(100); // the client resets the connection meanwhile
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return FederationSnapshot.empty();
        };
    int attempts = 5;

    withServer(
        slow,
        EMPTY,
        port -> {
          for (int i = 0; i < attempts; i++) {
            sendThenReset(port);
          }
          awaitAuditSettled();
          return null;
        });

    assertThat(audit)
        .hasSizeBetween(1, attempts)
        .allSatisfy(
            event ->
                assertThat(((AuditEvent.ExchangeAttempt) event).reason())
                    .as("no attempt is audited a second time as a server fault")
                    .isNotEqualTo(Optional.of(ReasonCode.INTERNAL_ERROR)));
  }

  @ParameterizedTest(name = "connection reset: {0}")
  @ValueSource(booleans = {false, true})
  void tokenEndpointWhenClientStopsMidBodyThenAuditedOnceAsInvalidRequest(boolean reset)
      throws Exception {
    withServer(
        EMPTY,
        EMPTY,
        port -> {
          try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(
                String.join(
                        "\r\n",
                        "POST /oauth/token HTTP/1.1",
                        "Host: 127.0.0.1",
                        "Content-Type: application/json",
                        "Content-Length: 100",
                        "",
                        "{\"grant_ty") // 10 of the 100 bytes announced
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(100); // the server is reading the body
            if (reset) {
              socket.setSoLinger(true, 0);
            } else {
              socket.shutdownOutput();
              socket.getInputStream().readAllBytes();
            }
          }
          awaitAuditSettled();
          return null;
        });

    assertThat(audit)
        .singleElement()
        .isInstanceOfSatisfying(
            AuditEvent.ExchangeAttempt.class,
            e -> assertThat(e.reason()).contains(ReasonCode.INVALID_REQUEST));
  }

  private static void sendThenReset(int port) throws Exception {
    byte[] body =
        LiveServer.JSON.writeValueAsBytes(
            LiveServer.exchangeParams("a.b.c", "wip_none", "svc_none"));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoLinger(true, 0); // close() sends a reset, not a graceful FIN
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      Thread.sleep(30); // the server has read the request and is inside the exchange
    }
  }

  /** Waits until no audit event arrived for 500 ms (at most 5 s). */
  private void awaitAuditSettled() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int seen = -1;
    while (seen != audit.size() && System.nanoTime() < deadline) {
      seen = audit.size();
      Thread.sleep(500);
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
