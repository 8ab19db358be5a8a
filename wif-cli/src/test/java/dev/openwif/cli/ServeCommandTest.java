package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.server.ServerConfig;
import dev.openwif.server.gateway.GatewayUpstream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void configWhenOptionsGivenThenServerConfigCarriesThem() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command)
        .parseArgs(
            "--host",
            "0.0.0.0",
            "--port",
            "9000",
            "--public-url",
            "https://wif.example.com/",
            "--db",
            "postgresql://localhost/test",
            "--dev",
            "--token-ttl",
            "1800");

    ServerConfig config = command.config("bootstrap-key-0123456789");

    assertThat(config)
        .isEqualTo(
            ServerConfig.defaults()
                .withHost("0.0.0.0")
                .withPort(9000)
                .withPublicUrl("https://wif.example.com")
                .withDbSpec("postgresql://localhost/test")
                .withDev(true)
                .withTokenTtl(Duration.ofSeconds(1800))
                .withBootstrapAdminKey("bootstrap-key-0123456789"));
  }

  @Test
  void configWhenMetricsAddressGivenThenCarriedAndMalformedRefusedNamingTheFlag() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs("--metrics-address", "127.0.0.1:9464");
    assertThat(command.config(null).metricsAddress())
        .contains(new dev.openwif.server.MetricsAddress("127.0.0.1", 9464));
    ServeCommand without = new ServeCommand();
    new CommandLine(without).parseArgs();
    assertThat(without.config(null).metricsAddress()).isEmpty();

    ServeCommand malformed = new ServeCommand();
    new CommandLine(malformed).parseArgs("--metrics-address", "9464");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> malformed.config(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--metrics-address must be HOST:PORT");
  }

  @Test
  void configWhenSigningKeyRotationGivenThenCarriedAndTooShortRefused() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs("--signing-key-rotation", "30d");
    assertThat(command.config(null).signingKeyRotation()).contains(Duration.ofDays(30));

    ServeCommand tooShort = new ServeCommand();
    new CommandLine(tooShort).parseArgs("--signing-key-rotation", "10m");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> tooShort.config(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 hour");
  }

  @Test
  void configWhenNoOptionsThenDefaults() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.config(null)).isEqualTo(ServerConfig.defaults());
  }

  @Test
  void serveWhenPortBusyThenOneLineErrorAndExit1() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      CommandLine cli = WifCommand.commandLine();
      cli.setErr(new PrintWriter(err));

      int exit =
          cli.execute(
              "serve",
              "--port",
              String.valueOf(busy.getLocalPort()),
              "--db",
              dir.resolve("wif.db").toString());

      assertThat(exit).isEqualTo(1);
      assertThat(err.toString().strip())
          .startsWith(
              "wif: error: --port " + busy.getLocalPort() + " is already in use on 127.0.0.1")
          .doesNotContain("\n");
    }
  }

  @Test
  void serveWhenTokenTtlNotPositiveThenUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("serve", "--token-ttl", "0", "--db", dir.resolve("wif.db").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--token-ttl must be a positive number of seconds");
  }

  @Test
  void serveWhenIssuerKeysWaitOutOfRangeThenUsageErrorNamingTheRange() {
    for (String value : List.of("-1", "31")) {
      StringWriter err = new StringWriter();
      CommandLine cli = WifCommand.commandLine();
      cli.setErr(new PrintWriter(err));

      int exit =
          cli.execute(
              "serve", "--issuer-keys-wait", value, "--db", dir.resolve("wif.db").toString());

      assertThat(exit).as(value).isEqualTo(2);
      assertThat(err.toString())
          .contains("--issuer-keys-wait must be a number of seconds from 0 to 30");
    }
  }

  @Test
  void configWhenIssuerKeysWaitGivenThenInConfigAndDefaultTwoSeconds() {
    assertThat(parsed().config(null).issuerKeysWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(parsed("--issuer-keys-wait", "0").config(null).issuerKeysWait()).isZero();
    assertThat(parsed("--issuer-keys-wait", "30").config(null).issuerKeysWait())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void serveWhenSyncIntervalOutOfRangeThenUsageErrorNamingTheRange() {
    for (String value : List.of("0", "61")) {
      StringWriter err = new StringWriter();
      CommandLine cli = WifCommand.commandLine();
      cli.setErr(new PrintWriter(err));

      int exit =
          cli.execute("serve", "--sync-interval", value, "--db", dir.resolve("wif.db").toString());

      assertThat(exit).as(value).isEqualTo(2);
      assertThat(err.toString())
          .contains("--sync-interval must be a number of seconds from 1 to 60");
    }
  }

  @Test
  void serveWhenSyncIntervalAboveAThirdOfMaxSnapshotAgeThenUsageErrorNamingBoth() {
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit =
        cli.execute(
            "serve",
            "--sync-interval",
            "30",
            "--max-snapshot-age",
            "60s",
            "--db",
            dir.resolve("wif.db").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("--sync-interval: the maximum snapshot age (60 s) must be at least three sync");
  }

  @Test
  void configWhenSyncIntervalGivenThenInConfigAndDefaultFiveSeconds() {
    assertThat(parsed().config(null).syncInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(parsed("--sync-interval", "60").config(null).syncInterval())
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void serveWhenClusterNodesOutOfRangeThenUsageErrorNamingTheRange() {
    for (String value : List.of("0", "1001")) {
      StringWriter err = new StringWriter();
      CommandLine cli = WifCommand.commandLine();
      cli.setErr(new PrintWriter(err));

      int exit =
          cli.execute("serve", "--cluster-nodes", value, "--db", dir.resolve("wif.db").toString());

      assertThat(exit).as(value).isEqualTo(2);
      assertThat(err.toString()).contains("--cluster-nodes must be a whole number from 1 to 1000");
    }
  }

  @Test
  void configWhenClusterNodesGivenThenInConfigAndDefaultOne() {
    assertThat(parsed().config(null).clusterNodes()).isEqualTo(1);
    assertThat(parsed("--cluster-nodes", "3").config(null).clusterNodes()).isEqualTo(3);
  }

  private static ServeCommand parsed(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void nativeCryptoWantedWhenNeitherFlagNorEnvironmentThenOn() {
    assertThat(parsed().nativeCryptoWanted(null)).isTrue();
    assertThat(parsed().nativeCryptoWanted(" ")).isTrue();
  }

  @Test
  void nativeCryptoWantedWhenEnvironmentOffThenOffUnlessTheFlagSaysOn() {
    assertThat(parsed().nativeCryptoWanted("off")).isFalse();
    assertThat(parsed().nativeCryptoWanted(" OFF ")).isFalse();
    assertThat(parsed("--native-crypto", "on").nativeCryptoWanted("off")).isTrue();
    assertThat(parsed("--native-crypto", "off").nativeCryptoWanted("on")).isFalse();
    assertThat(parsed("--native-crypto", "off").nativeCryptoWanted(null)).isFalse();
  }

  @Test
  void nativeCryptoWantedWhenValueNeitherOnNorOffThenRefusedNamingWhereItCameFrom() {
    assertThatThrownBy(() -> parsed("--native-crypto", "yes").nativeCryptoWanted(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--native-crypto must be on or off (was 'yes')");
    assertThatThrownBy(() -> parsed().nativeCryptoWanted("false"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("WIF_NATIVE_CRYPTO must be on or off (was 'false')");
  }

  @Test
  void serveWhenNativeCryptoInvalidThenOneLineUsageErrorAndNoDatabase() {
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit =
        cli.execute("serve", "--native-crypto", "maybe", "--db", dir.resolve("wif.db").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "wif: error: --native-crypto must be on or off (was 'maybe')" + System.lineSeparator());
    assertThat(dir.resolve("wif.db")).doesNotExist();
  }

  @Test
  void upstreamWhenNoOptionsThenDemoModel() {
    assertThat(parsed().upstream(null)).isEqualTo(GatewayUpstream.demo());
  }

  @Test
  void upstreamWhenUrlAndEnvKeyThenProxiesWithTheKeyAndTimeouts() {
    GatewayUpstream upstream =
        parsed(
                "--upstream",
                "http://127.0.0.1:8000/v1/",
                "--upstream-connect-timeout",
                "3",
                "--upstream-timeout",
                "30",
                "--upstream-idle-timeout",
                "45")
            .upstream("sk-upstream-1");

    assertThat(upstream.target().orElseThrow().base()).hasToString("http://127.0.0.1:8000/v1");
    assertThat(upstream.apiKey().current()).contains("sk-upstream-1");
    assertThat(upstream.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(upstream.firstByteTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(upstream.idleTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(upstream.toString()).doesNotContain("sk-upstream-1");
  }

  @Test
  void upstreamWhenKeyFileThenReadsIt() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-from-file\n");

    GatewayUpstream upstream =
        parsed(
                "--upstream",
                "https://api.openai.com/v1",
                "--upstream-api-key-file",
                file.toString())
            .upstream(null);

    assertThat(upstream.apiKey().current()).contains("sk-from-file");
  }

  @Test
  void upstreamWhenUrlWithoutKeyThenSendsNone() {
    assertThat(parsed("--upstream", "http://127.0.0.1:8000/v1").upstream(null).apiKey().isSet())
        .isFalse();
  }

  @Test
  void upstreamWhenEnvAndFileBothSetThenRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-from-file");
    ServeCommand command =
        parsed(
            "--upstream", "https://api.openai.com/v1", "--upstream-api-key-file", file.toString());

    assertThatThrownBy(() -> command.upstream("sk-env"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("WIF_UPSTREAM_API_KEY and --upstream-api-key-file are both set; give only one");
  }

  private static final String[] IDENTITY = {
    "--upstream",
    "https://api.openai.com/v1",
    "--upstream-identity-provider-id",
    "wip_4dc1b7c72863ebe77980d2c0",
    "--upstream-service-account-id",
    "svc_acct_9e21a04f6b3c58d7e1f20a93",
    "--upstream-subject-token",
    "metadata:https://api.openai.com/v1"
  };

  @Test
  void upstreamWhenWorkloadIdentityThenAnUpstreamCredentialForOpenAisTokenEndpoint() {
    GatewayUpstream upstream = parsed(IDENTITY).upstream(null);

    assertThat(upstream.apiKey())
        .isInstanceOfSatisfying(
            UpstreamWorkloadIdentity.class,
            identity ->
                assertThat(identity.toString())
                    .isEqualTo(
                        "UpstreamWorkloadIdentity[wip_4dc1b7c72863ebe77980d2c0,"
                            + " svc_acct_9e21a04f6b3c58d7e1f20a93,"
                            + " metadata:https://api.openai.com/v1,"
                            + " https://auth.openai.com/oauth/token]"));
    assertThat(((UpstreamWorkloadIdentity) upstream.apiKey()).state().expiresAt()).isEmpty();
  }

  @Test
  void upstreamWhenWorkloadIdentityAndEnvKeyThenRefusedNamingBoth() {
    assertThatThrownBy(() -> parsed(IDENTITY).upstream("sk-env"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "WIF_UPSTREAM_API_KEY and --upstream-identity-provider-id are both set: the upstream"
                + " is reached with a static key or by workload identity, not both; give only one");
  }

  @Test
  void upstreamWhenWorkloadIdentityAndKeyFileThenRefusedNamingBoth() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-from-file");
    List<String> args = new java.util.ArrayList<>(List.of(IDENTITY));
    args.addAll(List.of("--upstream-api-key-file", file.toString()));

    assertThatThrownBy(() -> parsed(args.toArray(String[]::new)).upstream(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--upstream-api-key-file and --upstream-identity-provider-id are both set");
  }

  @Test
  void upstreamWhenOnlySomeWorkloadIdentityFlagsThenRefusedNamingTheMissingOnes() {
    assertThatThrownBy(
            () ->
                parsed(
                        "--upstream",
                        "https://api.openai.com/v1",
                        "--upstream-identity-provider-id",
                        "wip_4dc1b7c72863ebe77980d2c0")
                    .upstream(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--upstream-identity-provider-id is given without --upstream-service-account-id and"
                + " --upstream-subject-token: workload identity to the upstream needs all three");
  }

  @Test
  void upstreamWhenSubjectTokenNeitherMetadataNorFileThenRefused() {
    String[] args = IDENTITY.clone();
    args[7] = "https://api.openai.com/v1";

    assertThatThrownBy(() -> parsed(args).upstream(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--upstream-subject-token must be metadata:AUDIENCE");
  }

  @Test
  void upstreamWhenPlainHttpTokenUrlOffLoopbackThenRefused() {
    List<String> args = new java.util.ArrayList<>(List.of(IDENTITY));
    args.addAll(List.of("--upstream-token-url", "http://auth.example.com/oauth/token"));

    assertThatThrownBy(() -> parsed(args.toArray(String[]::new)).upstream(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--upstream-token-url http://auth.example.com/oauth/token is not")
        .hasMessageContaining("clear text");
  }

  @Test
  void upstreamWhenTokenUrlWithoutWorkloadIdentityThenRefused() {
    assertThatThrownBy(
            () ->
                parsed(
                        "--upstream",
                        "https://api.openai.com/v1",
                        "--upstream-token-url",
                        "https://openwif.example.com/oauth/token")
                    .upstream(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--upstream-token-url needs --upstream-identity-provider-id");
  }

  @Test
  void upstreamWhenWorkloadIdentityButDemoModelThenRefused() {
    String[] args = IDENTITY.clone();
    args[1] = "demo";

    assertThatThrownBy(() -> parsed(args).upstream(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--upstream-identity-provider-id is given but --upstream is the demo");
  }

  @Test
  void upstreamWhenIdleTimeoutNotPositiveThenRefusedNamingTheOption() {
    ServeCommand command =
        parsed("--upstream", "http://127.0.0.1:8000/v1", "--upstream-idle-timeout", "0");

    assertThatThrownBy(() -> command.upstream(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--upstream-idle-timeout");
  }

  @Test
  void upstreamWhenNoIdleTimeoutGivenThenTwoMinutes() {
    assertThat(parsed("--upstream", "http://127.0.0.1:8000/v1").upstream(null).idleTimeout())
        .isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void upstreamWhenKeyButDemoModelThenRefused() {
    assertThatThrownBy(() -> parsed().upstream("sk-env"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give --upstream URL");
  }

  @Test
  void serveWhenUpstreamUrlInvalidThenOneLineUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit =
        cli.execute(
            "serve",
            "--upstream",
            "ftp://example.com/v1",
            "--db",
            dir.resolve("wif.db").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "wif: error: --upstream ftp://example.com/v1 is not usable: it must be an absolute"
                + " http:// or https:// URL");
  }

  @Test
  void upstreamWhenRoutesThenParsedInOrder() {
    GatewayUpstream upstream =
        parsed(
                "--upstream",
                "https://api.openai.com/v1",
                "--upstream-route",
                "llama-*=http://127.0.0.1:8000/v1",
                "--upstream-route",
                "qwen*=http://127.0.0.1:8001/v1/")
            .upstream("sk-env");

    assertThat(upstream.routes())
        .extracting(Object::toString)
        .containsExactly("llama-*=http://127.0.0.1:8000/v1", "qwen*=http://127.0.0.1:8001/v1");
  }

  @Test
  void upstreamWhenRouteInvalidThenRefusedNamingTheOptionAndPositionNeverTheQuery() {
    ServeCommand command =
        parsed(
            "--upstream",
            "https://api.openai.com/v1",
            "--upstream-route",
            "a*=http://127.0.0.1:8000/v1",
            "--upstream-route",
            "b*=http://127.0.0.1:8000/v1?token=secret-value");

    assertThatThrownBy(() -> command.upstream(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--upstream-route #2 (b*)")
        .hasMessageContaining("query")
        .hasMessageNotContaining("secret-value");
  }

  @Test
  void upstreamWhenRoutesButDemoModelThenRefused() {
    assertThatThrownBy(
            () -> parsed("--upstream-route", "a*=http://127.0.0.1:8000/v1").upstream(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--upstream-route needs --upstream URL");
  }

  @Test
  void configWhenWildcardHostWithoutPublicUrlThenRefusedUnlessDevOrPublicUrl() {
    assertThatThrownBy(() -> parsed("--host", "0.0.0.0").config(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--host 0.0.0.0 is not a loopback address: give --public-url");
    assertThat(parsed("--host", "0.0.0.0", "--dev").config(null).host()).isEqualTo("0.0.0.0");
    assertThat(
            parsed("--host", "0.0.0.0", "--public-url", "https://wif.example.com")
                .config(null)
                .publicUrl())
        .contains("https://wif.example.com");
  }

  @Test
  void configWhenPublicUrlWithPathThenKeptWhenNotUsableThenRefusedNamingTheFlag() {
    assertThat(parsed("--public-url", "https://gw.example.com/wif/").config(null).publicUrl())
        .contains("https://gw.example.com/wif");
    assertThatThrownBy(() -> parsed("--public-url", "gw.example.com/wif").config(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--public-url: the public URL 'gw.example.com/wif' is not usable: it must start with"
                + " http:// or https://");
  }

  @Test
  void configWhenDbPasswordFileThenThePasswordIsInTheDatabaseUrl() throws Exception {
    Path file = Files.writeString(dir.resolve("pg-password"), "s3cr et/@:\n");

    ServerConfig config =
        parsed(
                "--db",
                "postgresql://wif@127.0.0.1:5432/test",
                "--db-password-file",
                file.toString())
            .config(null);

    assertThat(config.dbSpec())
        .isEqualTo("postgresql://wif:s3cr%20et%2F%40%3A@127.0.0.1:5432/test");
  }

  @Test
  void serveWhenBootstrapKeyFileMissingThenOneLineNamingFlagAndFile() {
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit =
        cli.execute(
            "serve",
            "--bootstrap-admin-key-file",
            dir.resolve("missing").toString(),
            "--db",
            dir.resolve("wif.db").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "wif: error: --bootstrap-admin-key-file " + dir.resolve("missing") + ": no such file");
  }
}
