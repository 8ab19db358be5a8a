package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.AdminConnection;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code wif token explain} against a real server on port 0 over real HTTP (SQLite in a temp
 * directory), with subject tokens signed by a test key whose JWKS the provider holds: the human
 * lines, {@code -o json}, the exit codes; and {@code wif rules create} printing the server's
 * warnings for a rule that matches too broadly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenExplainCommandIT {
  private static final String KEY = "wifadm_explain_test_0123456789abcdefgh";
  private static final String ISSUER = "https://issuer.example";
  private static final String AUDIENCE = "https://wif.example/expected";
  private static final RSAKey SIGNER = TestKeys.rsa("explain-key");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private WifServer server;
  private Map<String, String> env;
  private String providerId;
  private String accountId;
  private String projectId;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  void start() throws Exception {
    server =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(dir.resolve("wif.db").toString())
                .withBootstrapAdminKey(KEY)
                // the issuer below is not resolvable here; dev mode skips the write-time URL check
                .withDev(true));
    env = Map.of(AdminConnection.SERVER_ENV, server.baseUrl(), AdminConnection.ADMIN_KEY_ENV, KEY);
    AdminApiClient admin = new AdminApiClient(server.baseUrl(), KEY);
    projectId = admin.post("/projects", object(Map.of("name", "p"))).get("id").asText();
    accountId =
        admin
            .post(
                "/projects/" + projectId + "/service_accounts",
                object(Map.of("name", "runner", "create_service_account_only", true)))
            .get("id")
            .asText();
    Map<String, Object> provider = new LinkedHashMap<>();
    provider.put("name", "explained");
    provider.put("issuer", ISSUER);
    provider.put("audience", AUDIENCE);
    provider.put(
        "verification",
        Map.of(
            "type",
            "uploaded_jwks",
            "jwks",
            JSON.readValue(new JWKSet(SIGNER.toPublicJWK()).toString(), Map.class)));
    providerId = admin.post("/workload_identity_providers", object(provider)).get("id").asText();
    admin.post(
        "/workload_identity_providers/" + providerId + "/federation_rules",
        object(
            Map.of(
                "attribute_matchers",
                Map.of("sub", "workload-a"),
                "project_id",
                projectId,
                "service_account_id",
                accountId,
                "permissions",
                Map.of("type", "service_account_default"))));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static ObjectNode object(Map<String, ?> value) {
    return JSON.valueToTree(value);
  }

  private Run wif(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine(env);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String token(String audience) {
    long now = Instant.now().getEpochSecond();
    return TokenBuilder.signedBy(SIGNER)
        .claim("iss", ISSUER)
        .claim("aud", audience)
        .claim("sub", "workload-a")
        .claim("iat", now)
        .claim("exp", now + 600)
        .build();
  }

  private Run explain(String token, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "token",
                "explain",
                token,
                "--provider",
                providerId,
                "--service-account",
                accountId));
    args.addAll(Arrays.asList(more));
    return wif(args.toArray(String[]::new));
  }

  @Test
  void explainWhenAudienceWrongThenTheAudienceLineFailsNamingBothValuesAndExit1() {
    Run run = explain(token("https://wif.example/wrong"));

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    String audienceLine =
        run.out()
            .lines()
            .filter(l -> l.startsWith("✗ audience"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no failed audience line in:\n" + run.out()));
    assertThat(audienceLine)
        .contains("audience_mismatch")
        .contains("https://wif.example/wrong")
        .contains(AUDIENCE);
    assertThat(run.out()).contains("✓ signature").contains("✓ issuer").contains("· times");
    assertThat(run.out())
        .contains("The exchange would be refused at audience (audience_mismatch).");
  }

  @Test
  void explainWhenTokenGoodThenEveryDecidingLinePassesAndExit0() {
    Run run = explain(token(AUDIENCE));

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).doesNotContain("✗").contains("✓ rule ").contains("would succeed");
  }

  @Test
  void explainWhenJsonThenTheServersAnswer() throws Exception {
    Run run = explain(token("https://wif.example/wrong"), "-o", "json");

    JsonNode answer = JSON.readTree(run.out());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(answer.get("failed_check").asText()).isEqualTo("audience");
    assertThat(answer.get("checks").isArray()).isTrue();
  }

  @Test
  void explainWhenNoAdminKeyThenExit2WithOneLine() {
    Run run = runWithout();

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1).first().asString().contains("no admin key");
  }

  private Run runWithout() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine(Map.of(AdminConnection.SERVER_ENV, server.baseUrl()));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit =
        cli.execute(
            "token",
            "explain",
            token(AUDIENCE),
            "--provider",
            providerId,
            "--service-account",
            accountId);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void rulesCreateWhenRuleMatchesOnlyTheAudienceThenTheServersWarningIsPrinted() throws Exception {
    Path body = dir.resolve("broad-rule.json");
    java.nio.file.Files.writeString(
        body,
        JSON.writeValueAsString(
            Map.of(
                "attribute_matchers",
                Map.of("aud", AUDIENCE),
                "project_id",
                projectId,
                "service_account_id",
                accountId,
                "permissions",
                Map.of("type", "service_account_default"))));

    Run run = wif("rules", "create", "--provider", providerId, "-f", body.toString(), "-o", "json");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(JSON.readTree(run.out()).get("warnings").get(0).get("code").asText())
        .isEqualTo("matches_whole_issuer");
    assertThat(run.err()).startsWith("wif: warning: The rule matches only aud");
  }
}
