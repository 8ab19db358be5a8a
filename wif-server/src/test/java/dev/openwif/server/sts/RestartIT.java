package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted server (same SQLite file, new {@code WifServer}) keeps providers, rules, admin keys
 * and its signing key: an access token minted before the restart is still accepted after it.
 */
class RestartIT {
  @TempDir Path dir;
  final Clock clock = Clock.systemUTC();

  @Test
  void restartWhenSameDatabaseThenConfigurationKeysAndEarlierTokensSurvive() {
    try (TestIssuer issuer = TestIssuer.start()) {
      Federation federation;
      String accessToken;
      JsonNode jwksBefore;
      int port;
      try (LiveServer first = LiveServer.start(dir)) {
        port = first.port();
        federation = Federation.uploaded(first, issuer, Federation.allScopes());
        accessToken =
            first
                .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
                .body()
                .get("access_token")
                .asText();
        jwksBefore = first.get("/.well-known/jwks.json", Optional.empty()).body();
        assertThat(first.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(200);
      }

      // Same address, so the same issuer (the public URL) as before, as with a fixed --port or
      // --public-url.
      try (LiveServer second = LiveServer.start(LiveServer.config(dir).withPort(port))) {
        assertThat(
                second
                    .admin("GET", "/workload_identity_providers/" + federation.providerId(), null)
                    .status())
            .as("provider and admin key survive")
            .isEqualTo(200);
        assertThat(
                second
                    .admin(
                        "GET",
                        "/workload_identity_providers/"
                            + federation.providerId()
                            + "/federation_rules/"
                            + federation.ruleId(),
                        null)
                    .status())
            .as("rule survives")
            .isEqualTo(200);
        assertThat(second.get("/.well-known/jwks.json", Optional.empty()).body())
            .isEqualTo(jwksBefore);
        assertThat(second.get("/v1/models", Optional.of(accessToken)).status())
            .as("token minted before the restart")
            .isEqualTo(200);
        assertThat(
                second
                    .exchangeJson(federation.exchangeParams(federation.subjectToken(clock)))
                    .status())
            .as("exchange after the restart, served from the rebuilt in-memory snapshot")
            .isEqualTo(200);
      }
    }
  }
}
