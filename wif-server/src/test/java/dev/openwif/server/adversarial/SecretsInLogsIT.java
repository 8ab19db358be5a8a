package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.ReasonCode;
import dev.openwif.server.sts.LiveServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No secret in any log line: a full server scenario (admin calls with right and wrong keys,
 * successful and refused exchanges, malformed bodies, {@code /v1} calls with genuine and tampered
 * tokens) runs while every SLF4J event, {@code java.util.logging} record and byte on {@code
 * System.out}/{@code err} is captured at the default levels; none may contain a subject token, an
 * access token, an admin key or a token's signature segment. A canary proves the capture sees all
 * three channels.
 */
class SecretsInLogsIT {
  @TempDir static Path dir;
  static Arena arena;

  @BeforeAll
  static void start() {
    arena = Arena.start(dir).uploaded();
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  @Test
  void fullScenarioWhenLoggedThenNoTokenNorKeyInAnyLine() {
    runScenario();

    assertThat(arena.logs().text()).as("the capture saw the server's output").isNotEmpty();
    assertThat(arena.secrets()).as("secrets of the scenario").hasSizeGreaterThanOrEqualTo(8);
    assertThat(arena.logs().leaks(arena.secrets())).isEmpty();
  }

  @Test
  void leaksWhenSecretLoggedOnAnyChannelThenFound() {
    String viaSlf4j = "canary-slf4j-" + UUID.randomUUID();
    String viaJul = "canary-jul-" + UUID.randomUUID();
    String viaStderr = "canary-stderr-" + UUID.randomUUID();
    String jwtSignatureOnly = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0." + "s".repeat(40);

    LoggerFactory.getLogger("dev.openwif.canary").warn("leaking {}", viaSlf4j);
    java.util.logging.Logger.getLogger("dev.openwif.canary").warning("leaking " + viaJul);
    System.err.println("leaking " + viaStderr);
    LoggerFactory.getLogger("dev.openwif.canary").info("signature {}", "s".repeat(40));

    assertThat(arena.logs().leaks(List.of(viaSlf4j, viaJul, viaStderr, jwtSignatureOnly)))
        .hasSize(4);
  }

  private static void runScenario() {
    LiveServer server = arena.server;
    String wrongKey = "wifadm_" + UUID.randomUUID().toString().replace("-", "") + "xyz";
    arena.remember(wrongKey);
    for (String key :
        List.of(wrongKey, LiveServer.ADMIN_KEY + "x", "Basic " + LiveServer.ADMIN_KEY)) {
      LiveServer.Reply reply =
          server.send(
              HttpRequest.newBuilder(URI.create(server.url() + "/v1/organization/projects"))
                  .header("Authorization", key.startsWith("Basic ") ? key : "Bearer " + key)
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build());
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.raw().body()).doesNotContain(key);
    }

    String accessToken = arena.assertIssued(arena.main().subjectToken(arena.clock));
    arena.assertTokenRefused(
        Forge.flipBit(arena.main().subjectToken(arena.clock), 2, 3), ReasonCode.SIGNATURE_INVALID);
    Map<String, Object> expired = arena.claims();
    expired.put("iat", arena.clock.instant().getEpochSecond() - 7200);
    expired.put("exp", arena.clock.instant().getEpochSecond() - 3600);
    arena.assertTokenRefused(arena.issuer.token(expired), ReasonCode.EXPIRED);
    arena.assertTokenRefused(
        arena.issuer.tokenBuilder().claims(arena.claims()).kid("unknown").build(),
        ReasonCode.KID_UNKNOWN);
    String malformedBodyToken = arena.main().subjectToken(arena.clock);
    arena.remember(malformedBodyToken);
    arena.assertRawRefused(
        "application/json",
        "{\"subject_token\":\"" + malformedBodyToken + "\",",
        400,
        "invalid_request",
        ReasonCode.INVALID_REQUEST);

    assertThat(server.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(200);
    String tampered = Forge.flipBit(accessToken, 2, 1);
    arena.remember(tampered);
    LiveServer.Reply refused = server.get("/v1/models", Optional.of(tampered));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.raw().body()).doesNotContain(tampered);
    LiveServer.Reply responses =
        server.post(
            "/v1/responses",
            "application/json",
            "{\"model\":\"openwif-demo-1\",\"input\":\"" + accessToken + "\"}",
            Optional.of(accessToken));
    assertThat(responses.status()).isEqualTo(200);
  }
}
