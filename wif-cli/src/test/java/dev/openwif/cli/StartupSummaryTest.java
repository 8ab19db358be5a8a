package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartupSummaryTest {
  private static StartupSummary summary(boolean masterKeySet, long plainSigningKeys) {
    return new StartupSummary(
        "1.2.3",
        "http://127.0.0.1:8080",
        "/tmp/wif.db",
        false,
        false,
        masterKeySet,
        plainSigningKeys,
        "native (Amazon Corretto Crypto Provider 2.5.0)",
        false,
        Optional.empty(),
        false,
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  private static StartupSummary proxying(boolean keySet) {
    return proxying(keySet, Optional.empty());
  }

  private static StartupSummary proxying(boolean keySet, Optional<String> identity) {
    return new StartupSummary(
        "1.2.3",
        "http://127.0.0.1:8080",
        "/tmp/wif.db",
        false,
        false,
        true,
        0,
        "JDK providers (native crypto switched off)",
        false,
        Optional.of("https://api.openai.com/v1"),
        keySet,
        identity,
        List.of("llama-*=http://127.0.0.1:8000/v1"),
        Optional.empty());
  }

  private static StartupSummary withTls(boolean dev, Optional<String> certificate) {
    return new StartupSummary(
        "1.2.3",
        "https://127.0.0.1:8443",
        "/tmp/wif.db",
        false,
        dev,
        true,
        0,
        "native (Amazon Corretto Crypto Provider 2.5.0)",
        false,
        Optional.empty(),
        false,
        Optional.empty(),
        List.of(),
        certificate);
  }

  @Test
  void linesWhenNoTlsOutsideDevThenSaysAProxyIsExpected() {
    assertThat(withTls(false, Optional.empty()).lines())
        .contains(
            "  tls:           off: plain HTTP, a TLS-terminating proxy is expected in front (or"
                + " give --tls-cert and --tls-key)");
  }

  @Test
  void linesWhenNoTlsInDevThenJustOff() {
    assertThat(withTls(true, Optional.empty()).lines())
        .contains("  tls:           off (plain HTTP)");
  }

  @Test
  void linesWhenTlsThenNamesTheCertificateAndTheProtocols() {
    assertThat(withTls(false, Optional.of("'CN=wif' (serial 1f)")).lines())
        .contains(
            "  tls:           HTTPS with 'CN=wif' (serial 1f), TLS 1.3 and 1.2 only; re-read when"
                + " its files change");
  }

  @Test
  void linesWhenCryptoGivenThenOneLineSaysWhichIsInForceBeforeTheListeningLine() {
    assertThat(summary(false, 0).lines())
        .contains("  crypto:        native (Amazon Corretto Crypto Provider 2.5.0)")
        .last()
        .asString()
        .startsWith(StartupSummary.LISTENING);
    assertThat(proxying(true).lines())
        .contains("  crypto:        JDK providers (native crypto switched off)");
  }

  @Test
  void linesWhenDemoUpstreamThenSaysDemoModel() {
    assertThat(summary(false, 0).lines()).contains("  upstream:      demo model");
  }

  @Test
  void linesWhenUpstreamWithKeyThenShowsTheUrlAndThatAKeyIsSet() {
    assertThat(proxying(true).lines())
        .contains("  upstream:      https://api.openai.com/v1 (API key set)");
  }

  @Test
  void linesWhenUpstreamByWorkloadIdentityThenSaysHowAndThatNoStaticKeyIsSet() {
    assertThat(
            proxying(
                    true,
                    Optional.of(
                        "workload identity (service account svc_acct_1 at"
                            + " https://auth.openai.com/oauth/token)"))
                .lines())
        .contains(
            "  upstream:      https://api.openai.com/v1 (token by workload identity (service"
                + " account svc_acct_1 at https://auth.openai.com/oauth/token), no static key)");
  }

  @Test
  void linesWhenUpstreamWithoutKeyThenSaysNoAuthorizationIsSent() {
    assertThat(proxying(false).lines())
        .contains(
            "  upstream:      https://api.openai.com/v1 (no API key: requests go without"
                + " Authorization)");
  }

  @Test
  void linesWhenNoMasterKeyThenKeysNotEncrypted() {
    assertThat(summary(false, 1).lines())
        .contains("  signing keys:  NOT encrypted at rest (set WIF_MASTER_KEY to encrypt them)");
  }

  @Test
  void linesWhenMasterKeyAndEveryKeyEncryptedThenEncrypted() {
    assertThat(summary(true, 0).lines())
        .contains("  signing keys:  encrypted at rest (WIF_MASTER_KEY is set)");
  }

  @Test
  void linesWhenMasterKeySetAfterKeysWereStoredThenSaysWhichAreNotEncrypted() {
    assertThat(summary(true, 2).lines())
        .contains(
            "  signing keys:  2 stored before WIF_MASTER_KEY was set are NOT encrypted at rest"
                + " (new keys are)")
        .noneMatch(line -> line.contains("signing keys:  encrypted at rest"));
  }

  @Test
  void linesWhenReadyThenListeningLineComesLast() {
    assertThat(summary(false, 0).lines())
        .last()
        .isEqualTo("OpenWIF listening on http://127.0.0.1:8080");
  }

  @Test
  void linesWhenRoutesThenOneLineEachSayingNoKeyIsSent() {
    assertThat(proxying(true).lines())
        .contains("  route:         llama-*=http://127.0.0.1:8000/v1 (no API key sent)");
  }
}
