package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.FederationStore;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.store.Stores;
import dev.openwif.token.StoredSigningKey;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets at rest: with a master key ({@code WIF_MASTER_KEY}) the server's private signing keys are
 * stored only as AES-GCM ciphertext; a restart with the same key serves the same JWKS, a restart
 * with another key refuses to start; admin keys are stored only as SHA-256; the configuration never
 * prints a secret.
 */
class SigningKeysAtRestIT {
  private static final String MASTER = "3q2+7wAAAAD/7q3eAQIDBAUGBwgJCgsMDQ4PEBESExQ=";

  @TempDir Path dir;

  private ServerConfig config() {
    return LiveServer.config(dir).withMasterKey(MASTER);
  }

  @Test
  void startWhenMasterKeyThenSigningKeysStoredEncryptedAndRestartServesSameJwks() {
    String jwksBefore;
    try (FederationStore store = Stores.open(dir.resolve("wif.db").toString());
        WifServer server = WifServer.start(config(), store, Clock.systemUTC())) {
      jwksBefore = fetchJwks(server);
      List<StoredSigningKey> rows = store.signingKeys().listAll();
      assertThat(rows)
          .isNotEmpty()
          .allSatisfy(
              row ->
                  assertThat(row.privateJwkJson()).startsWith("wifenc1:").doesNotContain("\"d\""));
      assertThat(store.adminKeys().listAll())
          .allSatisfy(
              key ->
                  assertThat(key.secretHash())
                      .matches("[0-9a-f]{64}")
                      .isNotEqualTo(LiveServer.ADMIN_KEY));
    }
    try (FederationStore store = Stores.open(dir.resolve("wif.db").toString());
        WifServer server = WifServer.start(config(), store, Clock.systemUTC())) {
      assertThat(fetchJwks(server)).isEqualTo(jwksBefore);
    }
  }

  @Test
  void startWhenAnotherMasterKeyThenRefusesToStartNamingTheKey() {
    try (FederationStore store = Stores.open(dir.resolve("wif.db").toString());
        WifServer server = WifServer.start(config(), store, Clock.systemUTC())) {
      assertThat(server.port()).isPositive();
    }
    try (FederationStore store = Stores.open(dir.resolve("wif.db").toString())) {
      assertThatThrownBy(
              () ->
                  WifServer.start(
                          config()
                              .withMasterKey(
                                  "dGhlIG90aGVyIG5vZGUncyBtYXN0ZXIga2V5LCAzMiBieXRlcw=="),
                          store,
                          Clock.systemUTC())
                      .close())
          .hasMessageContaining("WIF_MASTER_KEY");
    }
  }

  @Test
  void toStringWhenSecretsConfiguredThenNeverPrintsThem() {
    String shown = config().toString();

    assertThat(shown)
        .doesNotContain(MASTER)
        .doesNotContain(LiveServer.ADMIN_KEY)
        .contains("masterKey=Optional[<set>]");
  }

  private static String fetchJwks(WifServer server) {
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(server.baseUrl() + "/.well-known/jwks.json"))
                  .timeout(java.time.Duration.ofSeconds(10))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
