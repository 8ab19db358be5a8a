package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which upstream gets a request, and with which key: the key file re-read when it changes. A real
 * server proxying to {@link ScriptedUpstream}s, with access tokens from real exchanges.
 */
class UpstreamRoutingIT {
  private static final String FIRST_KEY = "sk-upstream-first-0123456789";
  private static final String SECOND_KEY = "sk-upstream-second-0123456789";

  @TempDir static Path dir;
  static Path keyFile;
  static ScriptedUpstream main;
  static LiveServer server;
  static TestIssuer issuer;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    main = new ScriptedUpstream();
    issuer = TestIssuer.start();
    keyFile = Files.writeString(dir.resolve("upstream-key"), FIRST_KEY + "\n");
    server =
        LiveServer.start(
            LiveServer.config(dir)
                .withUpstream(
                    GatewayUpstream.proxyingTo(UpstreamTarget.parse(main.url()))
                        .withApiKey(new UpstreamKeyFile(keyFile, Duration.ZERO))));
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    LiveServer.Reply reply =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(Clock.systemUTC())));
    assertThat(reply.status()).isEqualTo(200);
    token = reply.body().get("access_token").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
    main.close();
  }

  @Test
  void keyFileWhenChangedThenTheNextRequestCarriesTheNewKey() throws Exception {
    try {
      assertThat(server.get("/v1/files", Optional.of(token)).status()).isEqualTo(200);
      assertThat(main.last().headers().get("authorization")).containsExactly("Bearer " + FIRST_KEY);

      Files.writeString(keyFile, SECOND_KEY + "\n");

      assertThat(server.get("/v1/files", Optional.of(token)).status()).isEqualTo(200);
      assertThat(main.last().headers().get("authorization"))
          .containsExactly("Bearer " + SECOND_KEY);
    } finally {
      Files.writeString(keyFile, FIRST_KEY + "\n");
    }
  }

  @Test
  void keyFileWhenEmptiedThenTheLastGoodKeyIsStillSent() throws Exception {
    try {
      Files.writeString(keyFile, "\n");

      assertThat(server.get("/v1/files", Optional.of(token)).status()).isEqualTo(200);
      assertThat(main.last().headers().get("authorization")).containsExactly("Bearer " + FIRST_KEY);
    } finally {
      Files.writeString(keyFile, FIRST_KEY + "\n");
    }
  }
}
