package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.server.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void defaultsWhenCreatedThenDocumentedValues() {
    ServerConfig c = ServerConfig.defaults();

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dbSpec()).isEqualTo("./data/wif.db");
    assertThat(c.dev()).isFalse();
    assertThat(c.tokenTtl()).isEqualTo(Duration.ofSeconds(3600));
    assertThat(c.publicUrl()).isEmpty();
    assertThat(c.bootstrapAdminKey()).isEmpty();
  }

  @Test
  void effectivePublicUrlWhenTlsAndNoneConfiguredThenHttpsAndAConfiguredOneStillWins() {
    ServerConfig tls =
        ServerConfig.defaults().withTls(new TlsFiles(Path.of("tls.crt"), Path.of("tls.key")));

    assertThat(tls.effectivePublicUrl(8443)).isEqualTo("https://127.0.0.1:8443");
    assertThat(tls.withPublicUrl("https://wif.example.com/").effectivePublicUrl(8443))
        .isEqualTo("https://wif.example.com");
    assertThat(tls.toString()).contains("tls=Optional[TlsFiles[certificate=tls.crt, key=tls.key]]");
  }

  @Test
  void effectivePublicUrlWhenNoneConfiguredThenHostAndBoundPort() {
    assertThat(ServerConfig.defaults().effectivePublicUrl(41234))
        .isEqualTo("http://127.0.0.1:41234");
    assertThat(ServerConfig.defaults().withHost("::1").effectivePublicUrl(1))
        .isEqualTo("http://[::1]:1");
  }

  @Test
  void withPublicUrlWhenTrailingSlashThenRemoved() {
    assertThat(ServerConfig.defaults().withPublicUrl("https://wif.example.com/").publicUrl())
        .isEqualTo(Optional.of("https://wif.example.com"));
  }

  @Test
  void withPublicUrlWhenNoSchemeThenRefusedNamingWhy() {
    assertThatThrownBy(() -> ServerConfig.defaults().withPublicUrl("wif.example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the public URL 'wif.example.com' is not usable: it must start with http:// or"
                + " https://");
  }

  @Test
  void withBootstrapAdminKeyWhenLongerThanTheAdminApiAcceptsThenRefused() {
    assertThatThrownBy(() -> ServerConfig.defaults().withBootstrapAdminKey("k".repeat(513)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the bootstrap admin key must be at most 512 characters (the admin API refuses longer"
                + " keys)");
    assertThat(
            ServerConfig.defaults()
                .withBootstrapAdminKey("k".repeat(512))
                .bootstrapAdminKey()
                .orElseThrow())
        .hasSize(512);
  }

  @Test
  void withBootstrapAdminKeyWhenShorterThan16CharactersThenRefused() {
    assertThatThrownBy(() -> ServerConfig.defaults().withBootstrapAdminKey("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the bootstrap admin key must be at least 16 characters");
    assertThat(
            ServerConfig.defaults().withBootstrapAdminKey("0123456789abcdef").bootstrapAdminKey())
        .contains("0123456789abcdef");
  }

  @Test
  void withMasterKeyWhenAPassphraseThenRefusedWithoutEchoingIt() {
    String passphrase = "a-master-key-of-at-least-32-characters!";
    assertThatThrownBy(() -> ServerConfig.defaults().withMasterKey(passphrase))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not base64")
        .hasMessageNotContaining(passphrase);
  }

  @Test
  void constructorWhenInvalidValuesThenRefused() {
    assertThatThrownBy(() -> ServerConfig.defaults().withPort(70000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerConfig.defaults().withTokenTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerConfig.defaults().withDbSpec(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerConfig.defaults().withHost(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringWhenUpstreamKeySetThenShowsTheUrlButNeverTheKey() {
    ServerConfig config =
        ServerConfig.defaults()
            .withUpstream(
                dev.openwif.server.gateway.GatewayUpstream.proxyingTo(
                        dev.openwif.server.gateway.UpstreamTarget.parse(
                            "https://api.openai.com/v1"))
                    .withApiKey("sk-upstream-secret-123"));

    assertThat(config.toString())
        .contains("https://api.openai.com/v1")
        .contains("apiKey=<set>")
        .doesNotContain("sk-upstream-secret-123");
  }

  @Test
  void toStringWhenPostgresUrlHasAPasswordThenHidesIt() {
    ServerConfig inUserInfo =
        ServerConfig.defaults().withDbSpec("postgresql://wif:s3cret-pw@db.internal:5432/wif");
    ServerConfig inParameter =
        ServerConfig.defaults()
            .withDbSpec("jdbc:postgresql://db.internal/wif?user=wif&password=s3cret-pw&ssl=true");

    assertThat(inUserInfo.toString())
        .contains("postgresql://wif:***@db.internal:5432/wif")
        .doesNotContain("s3cret-pw");
    assertThat(inParameter.toString())
        .contains("user=wif&password=***&ssl=true")
        .doesNotContain("s3cret-pw");
  }

  @Test
  void defaultsWhenCreatedThenUpstreamIsTheDemoModel() {
    assertThat(ServerConfig.defaults().upstream().target()).isEmpty();
    assertThat(ServerConfig.defaults().upstream().apiKey().isSet()).isFalse();
  }
}
