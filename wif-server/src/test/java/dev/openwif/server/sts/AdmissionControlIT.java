package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.ReasonCode;
import dev.openwif.directory.InMemoryFederationDirectory;
import dev.openwif.exchange.EarlyRefusals;
import dev.openwif.exchange.TokenExchange;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.Verification;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.oidc.UploadedJwksKeySource;
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
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token endpoint under saturation: when every crypto slot is busy and the queue is full, the
 * request is refused at once with 503 {@code temporarily_unavailable} and {@code Retry-After}, and
 * audited as {@code overloaded}; once a slot frees up, requests are served again.
 */
class AdmissionControlIT {
  @TempDir Path dir;

  @Test
  void tokenEndpointWhenSlotsAndQueueFullThen503RetryAfterAndAuditedOverloaded() throws Exception {
    List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    AdmissionControl admission = new AdmissionControl(1, 0, Duration.ofMillis(10));
    Clock clock = Clock.systemUTC();
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
      RandomIdGenerator ids = new RandomIdGenerator();
      SigningKeys signingKeys = new SigningKeys(store.signingKeys(), clock);
      AccessTokenProfile profile =
          new AccessTokenProfile("http://127.0.0.1", "http://127.0.0.1/v1", Duration.ofHours(1));
      StsRoutes routes =
          new StsRoutes(
              new TokenEndpoint(
                  new TokenExchange(
                      directory,
                      new SubjectTokenVerifier(clock),
                      new RuleMatcher(),
                      new AccessTokenMinter(signingKeys, clock),
                      audit::add,
                      ids,
                      clock,
                      profile),
                  new EarlyRefusals(audit::add, ids, clock),
                  ExchangeRateLimiter.withDefaults(clock),
                  admission,
                  directory,
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
                  directory,
                  new ObjectMapper()));
      HttpRouting.Builder routing = HttpRouting.builder();
      routes.register(new RouteTable(routing));
      WebServer web =
          WebServer.builder().host("127.0.0.1").port(0).routing(routing).build().start();
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread holder =
          Thread.ofVirtual()
              .start(
                  () ->
                      admission.run(
                          () -> {
                            inside.countDown();
                            awaitQuietly(release);
                            return "busy";
                          }));
      try {
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> busy = LiveServer.postPlaceholderExchange(web.port());

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.body()).contains("\"error\":\"temporarily_unavailable\"");
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(audit)
            .singleElement()
            .satisfies(
                e ->
                    assertThat(((AuditEvent.ExchangeAttempt) e).reason())
                        .contains(ReasonCode.OVERLOADED));

        release.countDown();
        holder.join(5000);
        HttpResponse<String> served = LiveServer.postPlaceholderExchange(web.port());

        assertThat(served.statusCode()).isEqualTo(400);
        assertThat(served.body()).contains("\"error\":\"invalid_target\"");
        assertThat(((AuditEvent.ExchangeAttempt) audit.getLast()).reason())
            .contains(ReasonCode.PROVIDER_UNKNOWN);
      } finally {
        release.countDown();
        web.stop();
        directory.close();
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
