package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification by OIDC discovery end to end: the server ({@code --dev}, so http and loopback are
 * allowed) fetches {@code {issuer}/.well-known/openid-configuration} and the JWKS from a real local
 * issuer over HTTP, keeps keys across an outage, refreshes on a new {@code kid}, and answers 503
 * {@code temporarily_unavailable} when it never could fetch them.
 */
class DiscoveryModeIT {
  @TempDir static Path dir;
  static LiveServer server;
  final Clock clock = Clock.systemUTC();

  @BeforeAll
  static void start() {
    server = LiveServer.start(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void exchangeWhenDiscoveryProviderThenKeysFetchedOverHttpAndTokenIssued() {
    try (TestIssuer issuer = TestIssuer.start()) {
      Federation federation = Federation.discovery(server, issuer, Federation.allScopes());

      LiveServer.Reply reply =
          server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock)));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(issuer.discoveryFetchCount()).isEqualTo(1);
      assertThat(issuer.jwksFetchCount()).isEqualTo(1);
      String accessToken = reply.body().get("access_token").asText();
      assertThat(server.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(200);
    }
  }

  @Test
  void exchangeWhenIssuerGoesDownAfterFirstFetchThenCachedKeysKeepWorking() {
    try (TestIssuer issuer = TestIssuer.start()) {
      Federation federation = Federation.discovery(server, issuer, Federation.allScopes());
      assertThat(
              server
                  .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
                  .status())
          .isEqualTo(200);

      issuer.goDown();

      assertThat(
              server
                  .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
                  .status())
          .isEqualTo(200);
    }
  }

  @Test
  void exchangeWhenIssuerRotatesToANewKidThenRefreshedOnceAndAccepted() {
    try (TestIssuer issuer = TestIssuer.start()) {
      Federation federation = Federation.discovery(server, issuer, Federation.allScopes());
      assertThat(
              server
                  .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
                  .status())
          .isEqualTo(200);
      int fetchesBefore = issuer.jwksFetchCount();

      RSAKey next = issuer.rotateKey();
      LiveServer.Reply reply =
          server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock)));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(issuer.jwksFetchCount()).isEqualTo(fetchesBefore + 1);
      assertThat(next.getKeyID()).isNotEmpty();
    }
  }

  @Test
  void exchangeWhenIssuerUnreachableFromTheStartThen503TemporarilyUnavailableWithRetryAfter() {
    try (TestIssuer issuer = TestIssuer.start()) {
      issuer.goDown(); // before the provider exists: its prefetch must not get the keys either
      Federation federation = Federation.discovery(server, issuer, Federation.allScopes());
      String token = federation.subjectToken(clock);

      LiveServer.Reply reply = server.exchangeJson(federation.exchangeParams(token));

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.body().get("error").asText()).isEqualTo("temporarily_unavailable");
      assertThat(reply.header("Retry-After")).contains("5");
      assertThat(server.lastExchangeEvent().get("reason_code").asText())
          .isEqualTo("issuer_unavailable");
    }
  }

  @Test
  void exchangeWhenDiscoveryDocumentNamesAnotherIssuerThen503AndKeysNotTrusted() {
    try (TestIssuer issuer = TestIssuer.start()) {
      issuer.serveDiscoveryIssuer("https://evil.example"); // before the prefetch
      Federation federation = Federation.discovery(server, issuer, Federation.allScopes());

      LiveServer.Reply reply =
          server.exchangeJson(federation.exchangeParams(federation.subjectToken(clock)));

      assertThat(reply.status()).isEqualTo(503);
      assertThat(server.lastExchangeEvent().get("reason_code").asText())
          .isEqualTo("issuer_unavailable");
      assertThat(server.lastExchangeEvent().get("detail").asText()).contains("evil.example");
    }
  }
}
