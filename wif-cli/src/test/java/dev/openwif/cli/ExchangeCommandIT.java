package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.cli.admin.AdminConnection;
import dev.openwif.emulator.gce.GceMetadataEmulator;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code wif exchange} against a real server on port 0 and the Google metadata server emulator,
 * over real HTTP; the provider, service account and rule are set up with the remote admin commands,
 * and the printed access token is used on the gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExchangeCommandIT {
  static final String KEY = "wifadm_exchange_test_0123456789abcdefgh";
  static final String AUDIENCE = "https://wif.example.com";
  static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  WifServer server;
  GceMetadataEmulator metadata;
  String provider;
  String account;
  String otherAccount;
  Map<String, String> env;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    metadata = GceMetadataEmulator.builder().port(0).start();
    server =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDev(true)
                .withDbSpec(dir.resolve("wif.db").toString())
                .withBootstrapAdminKey(KEY));
    env = new HashMap<>();
    env.put(AdminConnection.SERVER_ENV, server.baseUrl());
    env.put(AdminConnection.ADMIN_KEY_ENV, KEY);
    env.put("GCE_METADATA_HOST", metadata.metadataHost());
    String project = admin("projects", "create", "--name", "exchange").get("id").asText();
    account =
        admin("service-accounts", "create", "--project", project, "--name", "vm")
            .get("id")
            .asText();
    otherAccount =
        admin("service-accounts", "create", "--project", project, "--name", "other")
            .get("id")
            .asText();
    Path jwks = dir.resolve("emulator-jwks.json");
    Files.writeString(jwks, metadata.jwksJson());
    provider =
        admin(
                "providers",
                "create",
                "--name",
                "gce",
                "--issuer",
                metadata.issuer(),
                "--audience",
                AUDIENCE,
                "--jwks-file",
                jwks.toString())
            .get("id")
            .asText();
    admin(
        "rules",
        "create",
        "--provider",
        provider,
        "--project",
        project,
        "--service-account",
        account,
        "--match",
        "email=" + metadata.instance().serviceAccountEmail());
  }

  @AfterAll
  void stop() {
    server.close();
    metadata.close();
  }

  Run run(Map<String, String> environment, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine(environment);
    ((ExchangeCommand) cli.getSubcommands().get("exchange").getCommand()).stdin =
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  JsonNode admin(String... args) throws Exception {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "-o";
    all[args.length + 1] = "json";
    Run run = run(env, "", all);
    assertThat(run.exit()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  /** {@code GET /v1/models} on the server's gateway with {@code token}: its status. */
  int models(String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void exchangeWhenMetadataAudienceThenPrintsOnlyAnAccessTokenTheGatewayAccepts() throws Exception {
    Run run =
        run(
            env,
            "",
            "exchange",
            "--metadata-audience",
            AUDIENCE,
            "--identity-provider-id",
            provider,
            "--service-account-id",
            account);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    String token = run.out().strip();
    assertThat(run.out().lines()).hasSize(1);
    assertThat(token.split("\\.")).hasSize(3);
    assertThat(models(token)).isEqualTo(200);
  }

  @Test
  void exchangeWhenTokenFileAndJsonThenTheTokenResponse() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, metadata.identityToken(AUDIENCE, true) + "\n");
    Run run =
        run(
            env,
            "",
            "exchange",
            "--token-file",
            file.toString(),
            "--provider-id",
            provider,
            "--service-account-id",
            account,
            "-o",
            "json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode response = JSON.readTree(run.out());
    assertThat(response.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(response.get("issued_token_type").asText())
        .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(response.get("expires_in").asLong()).isBetween(3500L, 3600L);
    assertThat(models(response.get("access_token").asText())).isEqualTo(200);
  }

  @Test
  void exchangeWhenStdinAndIdsFromTheClientLibrarysVariablesThenExchanged() throws Exception {
    Map<String, String> workload = new HashMap<>(env);
    workload.put(ExchangeCommand.PROVIDER_ENV, provider);
    workload.put(ExchangeCommand.ACCOUNT_ENV, account);
    Run run =
        run(
            workload,
            metadata.identityToken(AUDIENCE, true) + "\n",
            "exchange",
            "--token-file",
            "-");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(models(run.out().strip())).isEqualTo(200);
  }

  @Test
  void exchangeWhenNoRuleGrantsTheServiceAccountThenExit1WithTheOAuthError() {
    Run run =
        run(
            env,
            "",
            "exchange",
            "--metadata-audience",
            AUDIENCE,
            "--identity-provider-id",
            provider,
            "--service-account-id",
            otherAccount);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("wif: error: the server refused the exchange: ");
    assertThat(run.err()).contains("(HTTP 4");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void exchangeWhenNoSubjectTokenSourceThenExit2NamingTheOptions() {
    Run run =
        run(
            env,
            "",
            "exchange",
            "--identity-provider-id",
            provider,
            "--service-account-id",
            account);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "wif: error: no subject token source: give --metadata-audience AUDIENCE,"
                + " --token-file FILE or --token-file - (standard input)\n");
  }

  @Test
  void exchangeWhenServerDownThenExit3() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Run run =
        run(
            env,
            metadata.identityToken(AUDIENCE, true),
            "exchange",
            "--server",
            "http://127.0.0.1:" + port,
            "--token-file",
            "-",
            "--identity-provider-id",
            provider,
            "--service-account-id",
            account);

    assertThat(run.exit()).isEqualTo(RemoteAdminCommand.UNREACHABLE);
    assertThat(run.err()).startsWith("wif: error: Token endpoint http://127.0.0.1:" + port);
    assertThat(run.err().lines()).hasSize(1);
  }
}
